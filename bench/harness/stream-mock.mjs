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

// All open streams share one timer: every tick writes the chunks that are due. (A timer per
// stream costs more than the writes themselves at 10,000 streams.)
const TICK_MS = Math.max(1, Math.min(5, gapMs));
const open = new Set();

function tick() {
  const now = performance.now();
  for (const stream of open) {
    while (stream.sent < chunks && now >= stream.start + stream.sent * gapMs) {
      if (stream.res.destroyed || stream.res.writableEnded) {
        open.delete(stream);
        break;
      }
      writeChunk(stream);
    }
  }
}
setInterval(tick, TICK_MS);

function writeChunk(stream) {
  const { res } = stream;
  res.write(chunk(stream.sent, `tok${stream.sent} `, stream.sent === chunks - 1));
  stream.sent++;
  if (stream.sent === chunks) {
    open.delete(stream);
    res.end((stream.usage ? USAGE : '') + 'data: [DONE]\n\n');
  }
}

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
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const stream = { res, start: performance.now(), sent: 0, usage: /"include_usage"\s*:\s*true/.test(body) };
    res.on('close', () => open.delete(stream));
    writeChunk(stream); // the first chunk at once
    if (stream.sent < chunks) open.add(stream);
  });
}

const server = opts.h2 ? http2.createServer(handle) : http.createServer(handle);
// Idle connections close after 5 s, as providers close theirs: otherwise the pooled connections
// of the proxies measured before would hold the mock's file descriptors (20,000 at most here).
server.keepAliveTimeout = 5_000;
if (server.headersTimeout !== undefined) server.headersTimeout = 0;
if (server.requestTimeout !== undefined) server.requestTimeout = 0;
server.maxConnections = 100_000;
server.listen({ port: Number(opts.port), host: '127.0.0.1', backlog: 65535 }, () => {
  console.log(`stream mock on 127.0.0.1:${opts.port}: ${chunks} chunks, ${gapMs} ms apart`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
