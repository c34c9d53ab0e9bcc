// A bare Redis client's round trip on this machine: GET of a key that does not exist, one at a
// time on its own connection, every couple of milliseconds. Measured beside the Redis tier's paced
// run, it shows what any Redis lookup costs here, with nothing of Conduit in it.
import net from 'node:net';

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
