// The streaming mock upstream: answers every POST with a fixed OpenAI chat completion stream of
// --chunks content chunks, one every --gap-ms (the first at once), then a usage chunk when the
// request asked for one, then [DONE]. A non-streaming request gets the fixed JSON completion.
// Each chunk's id carries the time it was written (microseconds since the epoch), so the client
// can tell how long the chunk spent in the proxy between this mock and itself.
//
//   node stream-mock.mjs --port 9102 --chunks 20 --gap-ms 10
import http from 'node:http';
import http2 from 'node:http2';
import { parseArgs } from 'node:util';
import { fixedCompletion, nowMicros } from './common.mjs';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '9102' },
    chunks: { type: 'string', default: '20' },
    'gap-ms': { type: 'string', default: '10' },
    h2: { type: 'boolean', default: false },
  },
});
const chunks = Number(opts.chunks);
const gapMs = Number(opts['gap-ms']);

function chunk(index, content, finish) {
  return `data: {"id":"chatcmpl-${nowMicros()}","object":"chat.completion.chunk","created":1700000000,`
    + `"model":"bench-model","choices":[{"index":0,"delta":{"content":"${content}"},`
    + `"finish_reason":${finish ? '"stop"' : 'null'}}]}\n\n`;
}

const USAGE = 'data: {"id":"chatcmpl-usage","object":"chat.completion.chunk","created":1700000000,'
  + '"model":"bench-model","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":'
  + `${chunks},"total_tokens":${12 + chunks}}}\n\n`;

function handle(req, res) {
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    const body = Buffer.concat(parts).toString('latin1');
    if (!/"stream"\s*:\s*true/.test(body)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fixedCompletion);
      return;
    }
    const usage = /"include_usage"\s*:\s*true/.test(body);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const start = performance.now();
    let sent = 0;
    let timer = null;
    const next = () => {
      if (res.destroyed || res.writableEnded) return;
      res.write(chunk(sent, `tok${sent} `, sent === chunks - 1));
      sent++;
      if (sent < chunks) {
        // Absolute schedule: a late timer does not push the later chunks back.
        timer = setTimeout(next, Math.max(0, start + sent * gapMs - performance.now()));
      } else {
        res.end((usage ? USAGE : '') + 'data: [DONE]\n\n');
      }
    };
    res.on('close', () => clearTimeout(timer));
    next();
  });
}

const server = opts.h2 ? http2.createServer(handle) : http.createServer(handle);
server.keepAliveTimeout = 120_000;
if (server.headersTimeout !== undefined) server.headersTimeout = 0;
if (server.requestTimeout !== undefined) server.requestTimeout = 0;
server.maxConnections = 100_000;
server.listen(Number(opts.port), '127.0.0.1', () => {
  console.log(`stream mock on 127.0.0.1:${opts.port}: ${chunks} chunks, ${gapMs} ms apart`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
