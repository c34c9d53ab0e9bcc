// A streaming load client: measures time to first chunk, total time and, from the send time the
// mock writes into each chunk's id, how long every chunk took to cross the proxy.
//
//   loop mode: --concurrency C streams at a time for --seconds S, each worker starting its next
//              stream when the last ends (the streaming chat scenario);
//   hold mode: --streams N streams opened at --open-rate per second, each held to its end (the
//              concurrent open streams scenario).
// HTTP/1.1 by default (one connection per open stream); --h2 uses HTTP/2 cleartext with prior
// knowledge, many streams per connection. Prints one JSON object.
import http from 'node:http';
import http2 from 'node:http2';
import { parseArgs } from 'node:util';
import { nowMicros, percentile } from './common.mjs';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    headers: { type: 'string', default: '{}' },
    model: { type: 'string', default: 'bench-stream' },
    mode: { type: 'string', default: 'loop' },
    concurrency: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '10' },
    streams: { type: 'string', default: '1000' },
    'open-rate': { type: 'string', default: '1000' },
    'expect-chunks': { type: 'string', default: '0' },
    'late-ms': { type: 'string', default: '100' },
    'timeout-s': { type: 'string', default: '120' },
    h2: { type: 'boolean', default: false },
  },
});

const url = new URL(opts.url);
const extraHeaders = JSON.parse(opts.headers);
const body = JSON.stringify({
  model: opts.model,
  stream: true,
  messages: [{ role: 'user', content: 'Say hello in twenty words.' }],
});
const expectChunks = Number(opts['expect-chunks']);
const lateMicros = Number(opts['late-ms']) * 1000;
const timeoutMs = Number(opts['timeout-s']) * 1000;
const CHUNK_ID = /"id":"chatcmpl-(\d+)"/;

const ttfc = [];
const total = [];
const transit = [];
const errors = {};
let completed = 0;
let chunksSeen = 0;
let shortStreams = 0;
let open = 0;
let maxOpen = 0;

function error(kind) {
  errors[kind] = (errors[kind] || 0) + 1;
}

/** Reads one SSE response: records its timings; resolves when it is over. */
function consume(stream, started, resolve) {
  let text = '';
  let first = true;
  let chunks = 0;
  let done = false;
  stream.setEncoding('utf8');
  stream.on('data', (piece) => {
    const arrived = nowMicros();
    text += piece;
    let end;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const event = text.slice(0, end);
      text = text.slice(end + 2);
      if (first) {
        ttfc.push((performance.now() - started));
        first = false;
      }
      const id = CHUNK_ID.exec(event);
      if (id) {
        chunks++;
        transit.push(arrived - Number(id[1]));
      } else if (event.startsWith('data: [DONE]')) {
        done = true;
      }
    }
  });
  stream.on('end', () => {
    chunksSeen += chunks;
    if (!done) error('no_done_event');
    else if (expectChunks > 0 && chunks !== expectChunks) shortStreams++;
    else {
      completed++;
      total.push(performance.now() - started);
    }
    resolve();
  });
  stream.on('error', (e) => {
    error(e.code || 'stream_error');
    resolve();
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 100_000 });

function streamH1() {
  return new Promise((resolve) => {
    const started = performance.now();
    const request = http.request({
      agent,
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders },
    }, (response) => {
      if (response.statusCode !== 200) {
        error(`http_${response.statusCode}`);
        response.resume();
        response.on('end', resolve);
        return;
      }
      consume(response, started, resolve);
    });
    request.setTimeout(timeoutMs, () => {
      error('timeout');
      request.destroy();
    });
    request.on('error', (e) => {
      error(e.code || 'request_error');
      resolve();
    });
    request.end(body);
  });
}

// HTTP/2: streams spread over sessions, each kept under the server's concurrent-stream limit.
const sessions = [];
function session() {
  for (const s of sessions) {
    if (!s.closed && !s.destroyed && s.active < (s.remoteSettings.maxConcurrentStreams ?? 100)) return s;
  }
  const s = http2.connect(url.origin, { settings: { enablePush: false } });
  s.active = 0;
  s.on('error', (e) => error(e.code || 'session_error'));
  sessions.push(s);
  return s;
}

function streamH2() {
  return new Promise((resolve) => {
    const started = performance.now();
    const s = session();
    s.active++;
    const finish = () => {
      s.active--;
      resolve();
    };
    const request = s.request({
      ':method': 'POST',
      ':path': url.pathname,
      'content-type': 'application/json',
      ...extraHeaders,
    });
    request.setTimeout(timeoutMs, () => {
      error('timeout');
      request.close(http2.constants.NGHTTP2_CANCEL);
    });
    request.on('response', (headers) => {
      const status = headers[':status'];
      if (status !== 200) {
        error(`http_${status}`);
        request.resume();
        request.on('end', finish);
        return;
      }
      consume(request, started, finish);
    });
    request.on('error', (e) => {
      error(e.code || 'request_error');
      finish();
    });
    request.end(body);
  });
}

const oneStream = opts.h2 ? streamH2 : streamH1;

async function tracked() {
  open++;
  maxOpen = Math.max(maxOpen, open);
  try {
    await oneStream();
  } finally {
    open--;
  }
}

const t0 = performance.now();
if (opts.mode === 'loop') {
  const deadline = t0 + Number(opts.seconds) * 1000;
  const worker = async () => {
    while (performance.now() < deadline) await tracked();
  };
  await Promise.all(Array.from({ length: Number(opts.concurrency) }, worker));
} else {
  const count = Number(opts.streams);
  const perMs = Number(opts['open-rate']) / 1000;
  const all = [];
  let started = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(count, Math.floor((performance.now() - t0) * perMs) + 1);
      while (started < due) {
        all.push(tracked());
        started++;
      }
      if (started >= count) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  await Promise.all(all);
}
const elapsed = (performance.now() - t0) / 1000;
for (const s of sessions) s.close();
agent.destroy();

const sortedTtfc = ttfc.sort((a, b) => a - b);
const sortedTotal = total.sort((a, b) => a - b);
const sortedTransit = transit.sort((a, b) => a - b).map((us) => us / 1000);
const late = transit.filter((us) => us > lateMicros).length;
const errorCount = Object.values(errors).reduce((a, b) => a + b, 0) + shortStreams;
console.log(JSON.stringify({
  seconds: elapsed,
  completed,
  errors: errorCount,
  errorKinds: { ...errors, ...(shortStreams ? { short_stream: shortStreams } : {}) },
  streamsPerSecond: completed / elapsed,
  maxOpen,
  ttfcMs: { p50: percentile(sortedTtfc, 50), p99: percentile(sortedTtfc, 99), p999: percentile(sortedTtfc, 99.9) },
  totalMs: { p50: percentile(sortedTotal, 50), p99: percentile(sortedTotal, 99), p999: percentile(sortedTotal, 99.9) },
  chunkTransitMs: {
    p50: percentile(sortedTransit, 50), p99: percentile(sortedTransit, 99), p999: percentile(sortedTransit, 99.9),
    max: sortedTransit.length ? sortedTransit[sortedTransit.length - 1] : null,
  },
  chunks: chunksSeen,
  lateChunks: late,
}));
process.exit(0);
