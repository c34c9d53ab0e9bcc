// A bare Redis client's round trip on this machine: GET of a key that does not exist, one at a
// time on its own connection, every couple of milliseconds. Measured beside the Redis tier's paced
// run, it shows what any Redis lookup costs here, with nothing of Conduit in it.
import net from 'node:net';
import { run } from './procs.mjs';

const KEY = 'cache:bench-probe-no-such-key';
const GET = Buffer.from(`*2\r\n$3\r\nGET\r\n$${KEY.length}\r\n${KEY}\r\n`);

/** Round trips for `seconds`; their median, p99 (ms) and shares under 0.2 and 1 ms. */
export async function probeRedis({ host = '127.0.0.1', port = 6379, seconds, gapMs = 2 }) {
  const socket = net.createConnection({ host, port });
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const times = [];
  try {
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const started = process.hrtime.bigint();
      // The answer to a missing key is one short line ($-1 or _): one read holds it.
      await new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write(GET);
      });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  } finally {
    socket.destroy();
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const share = (ms) => times.filter((t) => t <= ms).length / times.length;
  return { samples: times.length, p50: at(0.5), p99: at(0.99), under200us: share(0.2), under1ms: share(1) };
}

/**
 * Redis's own counters (`INFO`): its CPU seconds, the reads it processed, and each command's calls
 * and microseconds. Read before and after a run, they say what Redis itself spent on it.
 */
export async function redisCounters({ host = '127.0.0.1', port = 6379 } = {}) {
  const info = await run('redis-cli', ['-h', host, '-p', String(port), 'INFO', 'everything']);
  const field = (name) => Number(info.match(new RegExp(`^${name}:([0-9.]+)`, 'm'))?.[1] ?? NaN);
  const command = (name) => {
    const m = info.match(new RegExp(`^cmdstat_${name}:calls=(\\d+),usec=(\\d+)`, 'm'));
    return m ? { calls: Number(m[1]), usec: Number(m[2]) } : { calls: 0, usec: 0 };
  };
  return {
    cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'),
    reads: field('total_reads_processed'),
    get: command('get'),
    set: command('set'),
  };
}

/** What Redis spent between two readings, per one of `requests` (µs), and commands per read. */
export function redisWork(before, after, requests) {
  const calls = (c) => after[c].calls - before[c].calls;
  const usec = (c) => after[c].usec - before[c].usec;
  const commands = calls('get') + calls('set');
  return {
    cpuUsPerRequest: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / requests,
    getUsPerCall: calls('get') ? usec('get') / calls('get') : null,
    setUsPerCall: calls('set') ? usec('set') / calls('set') : null,
    commandUsPerRequest: (usec('get') + usec('set')) / requests,
    commandsPerRead: commands / (after.reads - before.reads),
  };
}
