// The side-by-side benchmark: mocks, nginx, Conduit (SQLite; PostgreSQL + Redis) and Portkey on
// this machine, all driven the same way over loopback. Started by bench/run.sh, which installs
// the tools and builds Conduit first; see the README's performance section.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fixedCompletion, median } from './common.mjs';
import { start, stopAll, atExit, run, sleep, measured } from './procs.mjs';
import { report } from './report.mjs';
import { probeRedis, redisCounters, redisWork } from './redis-probe.mjs';

const BENCH = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const REPO = path.resolve(BENCH, '..');
const WORK = path.join(BENCH, 'work');
const LOGS = path.join(WORK, 'logs');

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    repeats: { type: 'string' },
    seconds: { type: 'string' },
    'warmup-seconds': { type: 'string' },
    concurrency: { type: 'string' },
    'soak-seconds': { type: 'string' },
    only: { type: 'string' },
    targets: { type: 'string' },
    'held-streams': { type: 'string' },
    'conduit-server': { type: 'string', default: '' },
    variant: { type: 'string', multiple: true, default: [] },
    rate: { type: 'string' },
    'cache-max-bytes': { type: 'string' },
    pin: { type: 'boolean', default: false },
  },
});
const quick = opts.quick;
const settings = {
  repeats: Number(opts.repeats ?? (quick ? 1 : 3)),
  seconds: Number(opts.seconds ?? (quick ? 5 : 10)),
  // Conduit's JIT keeps compiling for tens of seconds on 2 busy cores: warm every target well.
  // Pinned to one core, C2 still took 3-4 µs of a 39 µs cache hit 25-45 s after start, and under
  // 1.5 µs after 90 s (docs/caching.md): --warmup-seconds 90 measures the steady state. Each
  // warm-up ends with a short second run (warmUp): new connections recompile the hot path.
  warmupSeconds: Number(opts['warmup-seconds'] ?? (quick ? 5 : 20)),
  // The cache scenario's misses (a proxied call, usage, pricing, the cache's store) took C2 6-10 µs
  // a request after 20 s and compiled out by 90 s: its own default is 60 s (--warmup-seconds sets
  // both).
  cacheWarmupSeconds: Number(opts['warmup-seconds'] ?? (quick ? 5 : 60)),
  concurrency: (opts.concurrency ?? '32,256').split(',').map(Number),
  streamChunks: 20,
  streamGapMs: 10,
  streamConcurrency: 32,
  heldChunks: 20,
  heldGapMs: 1000,
  heldStreams: (opts['held-streams'] ?? '1000,10000').split(',').map(Number),
  heldOpenRate: 1000,
  lateMs: 100,
  bigBodyTokens: 1_000_000,
  bigBodyConcurrency: 4,
  soakSeconds: Number(opts['soak-seconds'] ?? (quick ? 60 : 600)),
  cacheMaxBytes: opts['cache-max-bytes'] ? Number(opts['cache-max-bytes']) : null,
  // --pin: the targets (nginx proxy, Conduits, Portkey) on core 0; the load, the mocks and Redis on
  // the others, as in production, where neither runs on the gateway's cores.
  pin: opts.pin ? { targets: '0', rest: os.cpus().length > 2 ? `1-${os.cpus().length - 1}` : '1' } : null,
};
if (settings.pin && os.cpus().length < 2) throw new Error('--pin needs at least 2 cores');
const only = opts.only ? new Set(opts.only.split(',')) : null;
const wanted = (scenario) => !only || only.has(scenario);

const PORTS = {
  mockJson: 19101, mockStream: 19102, mockHeld: 19103,
  nginxJson: 19111, nginxStream: 19112, nginxHeld: 19113, nginxHeldH2: 19114,
  conduitSqlite: 19201, conduitSqliteAdmin: 19202,
  conduitPostgres: 19211, conduitPostgresAdmin: 19212,
  conduitCache: 19231, conduitCacheAdmin: 19232, conduitCacheRedis: 19241, conduitCacheRedisAdmin: 19242,
  conduitCacheMin2: 19251, conduitCacheMin2Admin: 19252,
  conduitCachePostgres: 19261, conduitCachePostgresAdmin: 19262,
  portkey: 19301,
};
const MASTER_KEY = 'condt_bench_master_key_0123456789abcdef0123';
const CHAT_PATH = '/v1/chat/completions';

async function main() {
  fs.rmSync(LOGS, { recursive: true, force: true });
  fs.mkdirSync(LOGS, { recursive: true });
  if (settings.pin) pinLoadAndRedis();
  const before = machineState();
  console.log(`Conduit benchmark: ${before.cpus} cores; load average ${before.loadavg.join(' ')}`);
  console.log(`settings: ${JSON.stringify(settings)}`);

  writeBodies();
  await startMocks();
  let targets = [
    directTarget(),
    await startNginx(),
    await startConduit('conduit-sqlite', 'Conduit (SQLite)', PORTS.conduitSqlite, PORTS.conduitSqliteAdmin,
      `jdbc:sqlite:${WORK}/conduit-bench.db`, null),
    await startConduit('conduit-postgres', 'Conduit (PostgreSQL + Redis)', PORTS.conduitPostgres,
      PORTS.conduitPostgresAdmin, await throwawayPostgres(), 'redis://127.0.0.1:6379'),
    await startPortkey(),
  ];
  // A/B runs of levers: each --variant 'name|JVM flags|server settings' is one more Conduit
  // (SQLite) measured side by side with the others, e.g. --variant 'nio|-Dio.netty.transport.noNative=true|'.
  for (const [i, spec] of opts.variant.entries()) {
    const [name, javaOpts = '', server = ''] = spec.split('|');
    targets.push(await startConduit(`conduit-${name}`, `Conduit (SQLite, ${name})`, 19221 + 2 * i, 19222 + 2 * i,
      `jdbc:sqlite:${WORK}/conduit-bench-${name}.db`, null, { javaOpts, server }));
  }
  if (opts.targets) {
    const names = new Set(opts.targets.split(','));
    targets = targets.filter((t) => t.id === 'direct' || names.has(t.id)
      || opts.variant.some((v) => t.id === `conduit-${v.split('|')[0]}`));
  }
  // The cache scenario's own Conduits (SQLite, cache on): measured in that scenario only.
  const cacheTargets = wanted('cache') ? await startCachingConduits() : [];
  const results = {
    settings, machineBefore: before,
    targets: [...targets, ...cacheTargets].map(({ id, label }) => ({ id, label })), scenarios: {},
  };

  // A scenario that fails is reported as such; the others still make the results file.
  const scenario = async (name, fn) => {
    try {
      results.scenarios[name] = await fn();
    } catch (e) {
      console.error(`scenario ${name} failed: ${e.message}`);
      (results.failed ??= {})[name] = e.message;
    }
  };
  if (wanted('chat')) await scenario('chat', () => chatScenario(targets));
  if (wanted('half')) await scenario('half', () => halfPeakScenario(targets, results.scenarios.chat));
  if (wanted('stream')) await scenario('stream', () => streamScenario(targets));
  for (const count of settings.heldStreams) {
    if (wanted('held')) await scenario(`held${count}`, () => heldScenario(targets, count));
  }
  if (wanted('bigbody')) await scenario('bigbody', () => bigBodyScenario(targets));
  if (wanted('cache')) await scenario('cache', () => cacheScenario(targets, cacheTargets));
  if (wanted('soak')) await scenario('soak', () => soakScenario(targets.find((t) => t.id === 'conduit-sqlite')));
  results.logRows = await requestLogRows([...targets, ...cacheTargets]);
  results.machineAfter = machineState();
  results.versions = versions();
  report(results, path.join(BENCH, 'results'));
}

// ---------------------------------------------------------------- processes under test

/** A target's command line: as it is, or under `taskset` on the targets' cores (--pin). */
function onTargetCores(command, args) {
  return settings.pin ? ['taskset', ['-c', settings.pin.targets, command, ...args]] : [command, args];
}

/**
 * --pin: this process (so every load generator and mock it starts), every thread of the machine's
 * Redis and every PostgreSQL process (new backends inherit the postmaster's cores) move to the
 * cores the targets do not use; they get all cores back at exit.
 */
function pinLoadAndRedis() {
  execFileSync('taskset', ['-pc', settings.pin.rest, String(process.pid)], { stdio: 'ignore' });
  const info = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'info', 'server']).toString();
  const redisPid = /process_id:(\d+)/.exec(info)?.[1];
  if (!redisPid) throw new Error('--pin: Redis did not say its process id');
  execFileSync('taskset', ['-apc', settings.pin.rest, redisPid], { stdio: 'ignore' });
  atExit(() => execFileSync('taskset', ['-apc', `0-${os.cpus().length - 1}`, redisPid], { stdio: 'ignore' }));
  const postgres = () => execFileSync('pgrep', ['-x', 'postgres']).toString().trim().split('\n').filter(Boolean);
  const pinPostgres = (cores) => postgres().forEach((pid) => execFileSync('taskset', ['-apc', cores, pid], { stdio: 'ignore' }));
  pinPostgres(settings.pin.rest);
  atExit(() => pinPostgres(`0-${os.cpus().length - 1}`));
  console.log(`pinned: targets on core ${settings.pin.targets}; load, mocks, Redis (pid ${redisPid}) and PostgreSQL on ${settings.pin.rest}`);
}

function writeBodies() {
  const chat = { model: 'bench-json', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 64 };
  fs.writeFileSync(path.join(WORK, 'chat.json'), JSON.stringify(chat));
  // Every request different (post.lua's "vary" fills in @SEQ@): the cache's misses.
  const unique = { ...chat, messages: [{ role: 'user', content: 'Say hello to @SEQ@.' }] };
  fs.writeFileSync(path.join(WORK, 'chat-vary.json'), JSON.stringify(unique));
  // " hello" is one token in the GPT tokenizers: a million of them is a one-million-token prompt.
  const big = { model: 'bench-json', messages: [{ role: 'user', content: ' hello'.repeat(settings.bigBodyTokens) }] };
  fs.writeFileSync(path.join(WORK, 'big.json'), JSON.stringify(big));
}

async function startMocks() {
  const conf = template('mock.conf.template', {});
  const mock = start('mock-nginx', 'nginx', ['-p', WORK, '-c', conf], { logDir: LOGS });
  const stream = start('mock-stream', 'node', [path.join(BENCH, 'harness/stream-mock.mjs'), '--port', PORTS.mockStream,
    '--chunks', settings.streamChunks, '--gap-ms', settings.streamGapMs].map(String), { logDir: LOGS });
  const held = start('mock-held', 'node', [path.join(BENCH, 'harness/stream-mock.mjs'), '--port', PORTS.mockHeld,
    '--chunks', settings.heldChunks, '--gap-ms', settings.heldGapMs].map(String), { logDir: LOGS });
  await waitFor(`http://127.0.0.1:${PORTS.mockJson}/`, 'POST');
  await waitFor(`http://127.0.0.1:${PORTS.mockStream}/`, 'POST');
  await waitFor(`http://127.0.0.1:${PORTS.mockHeld}/`, 'POST');
  PIDS.mockJson = mock.pid;
  PIDS.mockStream = stream.pid;
  PIDS.mockHeld = held.pid;
}
const PIDS = {};

function directTarget() {
  return {
    id: 'direct', label: 'Mock, called directly',
    url: (scenario) => `http://127.0.0.1:${port(scenario, PORTS.mockJson, PORTS.mockStream, PORTS.mockHeld)}${CHAT_PATH}`,
    headers: () => ({}),
    pids: (scenario) => [port(scenario, PIDS.mockJson, PIDS.mockStream, PIDS.mockHeld)],
    h2: false,
  };
}

async function startNginx() {
  const conf = template('proxy.conf.template', {});
  const nginx = start('nginx-proxy', ...onTargetCores('nginx', ['-p', WORK, '-c', conf]), { logDir: LOGS });
  await waitFor(`http://127.0.0.1:${PORTS.nginxJson}${CHAT_PATH}`, 'POST');
  return {
    id: 'nginx', label: 'nginx (reverse proxy)',
    url: (scenario, h2) => `http://127.0.0.1:${h2 ? PORTS.nginxHeldH2
      : port(scenario, PORTS.nginxJson, PORTS.nginxStream, PORTS.nginxHeld)}${CHAT_PATH}`,
    headers: () => ({}),
    pids: () => [nginx.pid],
    h2: true,
  };
}

async function startConduit(id, label, clientPort, adminPort, dbUrl, redisUrl, variant = {}) {
  const serverLines = [opts['conduit-server'], variant.server ?? ''].join(';').split(';').filter((l) => l.trim());
  const yaml = `# Written by bench/harness/bench.mjs for one benchmark run.
server:
  host: 127.0.0.1
  port: ${clientPort}
  adminPort: ${adminPort}
  # The held scenario reaches Conduit over HTTP/2 cleartext (see bench/README.md).
  http2ClearText: true
${serverLines.map((line) => `  ${line.trim()}\n`).join('')}database:
  url: "${dbUrl}"
${redisUrl ? `redis:\n  url: "${redisUrl}"\n` : ''}${variant.yaml ?? ''}providers:
  # Connect timeout as nginx's default (60 s): opening thousands of streams at once on a busy
  # 2-core machine can keep a connection waiting in the mock's accept queue for seconds.
  - { name: mock-json, type: openai, baseUrl: "http://127.0.0.1:${PORTS.mockJson}/v1", apiKey: sk-bench, timeouts: { connectMs: 60000 } }
  - { name: mock-stream, type: openai, baseUrl: "http://127.0.0.1:${PORTS.mockStream}/v1", apiKey: sk-bench, timeouts: { connectMs: 60000 } }
  - { name: mock-held, type: openai, baseUrl: "http://127.0.0.1:${PORTS.mockHeld}/v1", apiKey: sk-bench, timeouts: { connectMs: 60000 } }
# The request deadline (default 45 s) must not cut the 60 s connect wait above.
routing:
  deadlineMs: 120000
models:
  - alias: bench-json
    deployments: [{ provider: mock-json, model: bench-model }]
  - alias: bench-stream
    deployments: [{ provider: mock-stream, model: bench-model }]
  - alias: bench-held
    deployments: [{ provider: mock-held, model: bench-model }]
`;
  const configFile = path.join(WORK, `${id}.yaml`);
  fs.writeFileSync(configFile, yaml);
  const child = start(id, ...onTargetCores(path.join(REPO, 'conduit'), ['serve', '--config', configFile]), {
    cwd: WORK, logDir: LOGS,
    // Pinned to one core, the JVM would pick the serial collector; the image runs G1 (deploy/image).
    env: { CONDUIT_MASTER_KEY: MASTER_KEY, CONDUIT_JAVA_OPTS: `${settings.pin ? '-XX:+UseG1GC' : ''} ${process.env.CONDUIT_JAVA_OPTS ?? ''} ${variant.javaOpts ?? ''}`.trim() },
  });
  await waitFor(`http://127.0.0.1:${clientPort}/health/ready`, 'GET', 120_000);
  const response = await fetch(`http://127.0.0.1:${adminPort}/api/admin/virtual-keys`, {
    method: 'POST',
    headers: { 'X-Master-Key': MASTER_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (response.status !== 201) throw new Error(`${id}: creating a virtual key answered ${response.status}`);
  const key = (await response.json()).key;
  const alias = { chat: 'bench-json', cache: 'bench-json', bigbody: 'bench-stream', stream: 'bench-stream', held: 'bench-held' };
  return {
    id, label, conduit: true, adminPort, clientPort,
    url: () => `http://127.0.0.1:${clientPort}${CHAT_PATH}`,
    headers: () => ({ Authorization: `Bearer ${key}` }),
    model: (scenario) => alias[scenario],
    pids: () => [child.pid],
    h2: true,
  };
}

/**
 * Four more Conduits with the response cache on: on SQLite, its memory tier (storing every answer,
 * and with `minUses: 2`) and its Redis tier; and its memory tier with the request log in
 * PostgreSQL, as deployed at scale (measured on hits only: its log rows' indexes are PostgreSQL's
 * work, on another core when pinned, where SQLite's are the gateway's own).
 */
async function startCachingConduits() {
  const cache = (tier) => `cache:\n  enabled: true\n  tiers: [${tier}]\n  ttlSeconds: 120\n${settings.cacheMaxBytes ? `  maxBytes: ${settings.cacheMaxBytes}\n` : ''}`;
  return [
    await startConduit('conduit-cache', 'Conduit (SQLite, cache: memory)', PORTS.conduitCache, PORTS.conduitCacheAdmin,
      `jdbc:sqlite:${WORK}/conduit-bench-cache.db`, null, { yaml: cache('memory') }),
    await startConduit('conduit-cache-min2', 'Conduit (SQLite, cache: memory, minUses: 2)', PORTS.conduitCacheMin2,
      PORTS.conduitCacheMin2Admin, `jdbc:sqlite:${WORK}/conduit-bench-cache-min2.db`, null,
      { yaml: cache('memory') + '  minUses: 2\n' }),
    await startConduit('conduit-cache-redis', 'Conduit (SQLite, cache: Redis)', PORTS.conduitCacheRedis,
      PORTS.conduitCacheRedisAdmin, `jdbc:sqlite:${WORK}/conduit-bench-cache-redis.db`, 'redis://127.0.0.1:6379',
      { yaml: cache('redis') + '  redisLookupMs: 5\n' }),
    { ...await startConduit('conduit-cache-postgres', 'Conduit (PostgreSQL, cache: memory)', PORTS.conduitCachePostgres,
      PORTS.conduitCachePostgresAdmin, await throwawayPostgres(), null, { yaml: cache('memory') }), hitsOnly: true },
  ];
}

async function throwawayPostgres() {
  const name = `conduit_bench_${process.pid}_${Date.now()}`;
  const psql = (sql) => run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qc', sql]);
  await psql(`CREATE DATABASE ${name}`);
  atExit(() => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return `jdbc:postgresql://127.0.0.1:5432/${name}?user=postgres`;
}

async function startPortkey() {
  const dir = path.join(WORK, 'portkey');
  const child = start('portkey', ...onTargetCores('node', [
    '--require', path.join(BENCH, 'harness/listen-loopback.cjs'),
    path.join(dir, 'node_modules/@portkey-ai/gateway/build/start-server.js'),
    `--port=${PORTS.portkey}`, '--headless',
  ]), { cwd: dir, logDir: LOGS, env: { NODE_ENV: 'production' } });
  await waitFor(`http://127.0.0.1:${PORTS.portkey}/`, 'GET');
  return {
    id: 'portkey', label: 'Portkey gateway 1.15.2',
    url: () => `http://127.0.0.1:${PORTS.portkey}${CHAT_PATH}`,
    headers: (scenario) => ({
      Authorization: 'Bearer sk-bench',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `http://127.0.0.1:${port(scenario, PORTS.mockJson, PORTS.mockStream, PORTS.mockHeld)}/v1`,
    }),
    pids: () => [child.pid],
    h2: false,
  };
}

/** Which mock a scenario uses: nginx for small JSON; the Node mock for streams and for the big
 * body (nginx would answer before reading a 6 MB body, which wrk cannot follow). */
function port(scenario, json, stream, held) {
  return scenario === 'stream' || scenario === 'bigbody' ? stream : scenario === 'held' ? held : json;
}

function template(name, extra) {
  const values = {
    WORK,
    COMPLETION: fixedCompletion,
    MOCK_JSON_PORT: PORTS.mockJson, MOCK_STREAM_PORT: PORTS.mockStream, MOCK_HELD_PORT: PORTS.mockHeld,
    NGINX_JSON_PORT: PORTS.nginxJson, NGINX_STREAM_PORT: PORTS.nginxStream,
    NGINX_HELD_PORT: PORTS.nginxHeld, NGINX_HELD_H2_PORT: PORTS.nginxHeldH2,
    ...extra,
  };
  let text = fs.readFileSync(path.join(BENCH, 'nginx', name), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`@${key}@`, String(value));
  const out = path.join(WORK, name.replace('.template', ''));
  fs.writeFileSync(out, text);
  return out;
}

async function waitFor(url, method, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { method, body: method === 'POST' ? '{}' : undefined });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch { /* not up yet */ }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

// ---------------------------------------------------------------- load drivers

function bodyFor(target, scenario, file) {
  if (!target.model) return path.join(WORK, file);
  const text = fs.readFileSync(path.join(WORK, file), 'utf8').replace('"bench-json"', `"${target.model(scenario)}"`);
  const out = path.join(WORK, `${target.id}-${file}`);
  fs.writeFileSync(out, text);
  return out;
}

/**
 * A target's warm-up before a scenario's measured runs: a long wrk run, then a short one on new
 * connections. A JIT-compiled hot path that never saw a connection open or close during the long
 * run is thrown away when the next run's connections arrive (about 180 methods at once, seen with
 * -XX:+PrintCompilation), and recompiled: without the second run that happened in the first
 * measured run, where C2 then took 2-3 µs of a 31 µs cache hit, against 0.4-0.6 µs after it.
 */
async function warmUp(target, scenario, options, seconds = settings.warmupSeconds) {
  await wrk(target, scenario, { ...options, seconds });
  await wrk(target, scenario, { ...options, seconds: Math.min(5, Math.ceil(seconds / 4)) });
}

/** One wrk run; latencies in ms. */
async function wrk(target, scenario, { connections, seconds, bodyFile, delayMs = 0, vary = false }) {
  const headersFile = path.join(WORK, `${target.id}-${scenario}.headers`);
  fs.writeFileSync(headersFile, Object.entries(target.headers(scenario)).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n');
  const threads = Math.min(2, connections);
  const out = await run('wrk', ['-t', threads, '-c', connections, '-d', `${seconds}s`, '--timeout', '30s',
    '-s', path.join(BENCH, 'wrk/post.lua'), target.url(scenario), '--',
    bodyFor(target, scenario, bodyFile), headersFile, delayMs, vary ? 'vary' : ''].map(String), { timeoutMs: (seconds + 120) * 1000 });
  const summary = JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop());
  const errors = summary.connectErrors + summary.readErrors + summary.writeErrors + summary.timeouts + summary.non2xx;
  return {
    requests: summary.requests,
    rps: summary.requests / (summary.durationUs / 1e6),
    p50: summary.p50 / 1000, p99: summary.p99 / 1000, p999: summary.p999 / 1000,
    errors,
  };
}

async function streamClient(target, scenario, args) {
  const url = target.url(scenario, args.includes('--h2'));
  const out = await run('node', [path.join(BENCH, 'harness/stream-client.mjs'), '--url', url,
    '--headers', JSON.stringify(target.headers(scenario)),
    '--model', target.model ? target.model(scenario) : 'bench-model', ...args.map(String)], { timeoutMs: 900_000 });
  return JSON.parse(out.trim().split('\n').pop());
}

function progress(scenario, target, rep, result, fields) {
  const shown = fields.map((f) => `${f}=${fmt(f.split('.').reduce((o, k) => o?.[k], result))}`).join(' ');
  const waited = result.quietSeconds >= 2 ? ` (waited ${fmt(result.quietSeconds)} s for a quiet machine)` : '';
  console.log(`  ${scenario} ${target.id.padEnd(16)} run ${rep + 1}: ${shown}${waited}`);
}

function fmt(v) {
  return typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v);
}

/** Runs every target `repeats` times, interleaved (so slow drift in machine load hits all alike). */
async function repeated(targets, repeatsOrRun, maybeRun) {
  const [repeats, runOne] = maybeRun ? [repeatsOrRun, maybeRun] : [settings.repeats, repeatsOrRun];
  const runs = Object.fromEntries(targets.map((t) => [t.id, []]));
  for (let rep = 0; rep < repeats; rep++) {
    for (const target of targets) runs[target.id].push(await runOne(target, rep));
  }
  return runs;
}

// ---------------------------------------------------------------- scenarios

async function chatScenario(targets) {
  console.log('\n== non-streaming chat completion');
  for (const target of targets) {
    await warmUp(target, 'chat', { connections: 32, bodyFile: 'chat.json' });
  }
  const levels = {};
  for (const connections of settings.concurrency) {
    levels[connections] = await repeated(targets, async (target, rep) => {
      const result = await measured(target.pids('chat'), () => wrk(target, 'chat',
        { connections, seconds: settings.seconds, bodyFile: 'chat.json' }));
      progress(`chat c${connections}`, target, rep, result, ['rps', 'p50', 'p99', 'errors']);
      return result;
    });
  }
  return { kind: 'wrk', levels };
}

async function halfPeakScenario(targets, chat) {
  console.log('\n== latency at half of Conduit\'s peak throughput');
  const peak = chat ? median(chat.levels[32]?.['conduit-sqlite']?.map((r) => r.rps) ?? []) : null;
  const rate = opts.rate ? Number(opts.rate) : Math.max(100, Math.round((peak ?? 10_000) / 2));
  // wrk cannot pace by rate: each connection waits DELAY ms before each request, so with
  // latency well under DELAY the offered rate is about connections * 1000 / DELAY.
  const delayMs = 10;
  const connections = Math.max(1, Math.round((rate * delayMs) / 1000));
  const runs = await repeated(targets, async (target, rep) => {
    const result = await measured(target.pids('chat'), () => wrk(target, 'chat',
      { connections, seconds: settings.seconds, bodyFile: 'chat.json', delayMs }));
    progress('half-peak', target, rep, result, ['rps', 'p50', 'p99', 'errors']);
    return result;
  });
  return { kind: 'wrk', rate, connections, delayMs, runs };
}

async function streamScenario(targets) {
  console.log(`\n== streaming chat: ${settings.streamChunks} chunks, ${settings.streamGapMs} ms apart`);
  const args = ['--mode', 'loop', '--concurrency', settings.streamConcurrency, '--expect-chunks', settings.streamChunks,
    '--late-ms', settings.lateMs];
  for (const target of targets) await streamClient(target, 'stream', [...args, '--seconds', settings.warmupSeconds]);
  const runs = await repeated(targets, async (target, rep) => {
    const result = await measured(target.pids('stream'), () => streamClient(target, 'stream',
      [...args, '--seconds', settings.seconds]));
    progress('stream', target, rep, result, ['streamsPerSecond', 'ttfcMs.p50', 'ttfcMs.p99', 'chunkTransitMs.p99', 'errors']);
    return result;
  });
  return { kind: 'stream', runs };
}

async function heldScenario(targets, count) {
  // Long runs: two of each (the median of two is their mean; the spread shows both).
  const repeats = Math.min(settings.repeats, 2);
  const holdSeconds = (settings.heldChunks * settings.heldGapMs) / 1000;
  console.log(`\n== ${count} concurrent open streams: opened at ${settings.heldOpenRate}/s, each ${settings.heldChunks} chunks`
    + ` ${settings.heldGapMs} ms apart (${holdSeconds} s)`);
  const runs = await repeated(targets, repeats, async (target, rep) => {
    // One HTTP/1.1 connection per stream needs two sockets per stream in a proxy; the sandbox caps
    // a process at 20,000 open files, so 10,000 streams go over HTTP/2 where the proxy accepts it.
    const h2 = count > 5000 && target.h2;
    const result = await measured(target.pids('held'), () => streamClient(target, 'held', [
      '--mode', 'hold', '--streams', count, '--open-rate', settings.heldOpenRate,
      '--expect-chunks', settings.heldChunks, '--late-ms', settings.lateMs, ...(h2 ? ['--h2'] : []),
    ]), { sampleMs: 500 });
    result.protocol = h2 ? 'h2c' : 'http/1.1';
    progress(`held ${count}`, target, rep, result, ['completed', 'errors', 'maxOpen', 'peakRssMb', 'chunkTransitMs.p99', 'lateChunks']);
    await sleep(8000); // the mock closes idle connections after 5 s: free its sockets first
    return result;
  });
  return { kind: 'held', count, runs };
}

async function bigBodyScenario(targets) {
  const bytes = fs.statSync(path.join(WORK, 'big.json')).size;
  console.log(`\n== one-million-token request body (${(bytes / 1e6).toFixed(1)} MB) passed through`);
  for (const target of targets) {
    await warmUp(target, 'bigbody', { connections: settings.bigBodyConcurrency, bodyFile: 'big.json' }, Math.ceil(settings.warmupSeconds / 2));
  }
  const runs = await repeated(targets, async (target, rep) => {
    const result = await measured(target.pids('bigbody'), () => wrk(target, 'bigbody',
      { connections: settings.bigBodyConcurrency, seconds: settings.seconds, bodyFile: 'big.json' }));
    progress('big body', target, rep, result, ['rps', 'p50', 'p99', 'errors']);
    return result;
  });
  return { kind: 'wrk', bytes, runs };
}

/**
 * The response cache: hits (the same request over and over, answered from the cache) beside nginx
 * proxying that request to the mock; then misses (every request different) with the cache on
 * against the same Conduit without a cache; then the cache's own lookup-time histogram.
 */
async function cacheScenario(targets, cacheTargets) {
  console.log('\n== response cache: hits, misses, lookup time');
  const reference = targets.filter((t) => ['direct', 'nginx', 'conduit-sqlite'].includes(t.id));
  const hitTargets = [...reference, ...cacheTargets];
  for (const target of hitTargets) {
    await warmUp(target, 'cache', { connections: 32, bodyFile: 'chat.json' }, settings.cacheWarmupSeconds);
  }
  const hits = await repeated(hitTargets, async (target, rep) => {
    const result = await measured(target.pids('chat'), () => wrk(target, 'cache',
      { connections: 32, seconds: settings.seconds, bodyFile: 'chat.json' }));
    progress('cache hit', target, rep, result, ['rps', 'p50', 'p99', 'errors']);
    return result;
  });
  const missTargets = [...targets.filter((t) => t.id === 'conduit-sqlite'), ...cacheTargets.filter((t) => !t.hitsOnly)];
  // The miss path (store after a proxied answer) has its own code to compile: warm it too.
  for (const target of missTargets) {
    await warmUp(target, 'cache', { connections: 32, bodyFile: 'chat-vary.json', vary: true },
      settings.cacheWarmupSeconds);
  }
  const misses = await repeated(missTargets, async (target, rep) => {
    // For the Redis tier, also what Redis itself spent: it runs on the same cores as the load.
    const redisBefore = target.id === 'conduit-cache-redis' ? await redisCounters() : null;
    const result = await measured(target.pids('chat'), () => wrk(target, 'cache',
      { connections: 32, seconds: settings.seconds, bodyFile: 'chat-vary.json', vary: true }));
    if (redisBefore) result.redis = redisWork(redisBefore, await redisCounters(), result.requests);
    progress('cache miss', target, rep, result, ['rps', 'p50', 'p99', 'errors']);
    return result;
  });
  const meters = {};
  for (const target of cacheTargets.filter((t) => !t.hitsOnly)) meters[target.id] = await cacheMeters(target);
  // Lookup time away from saturation: saturated, a lookup's time also holds its wait in the event
  // loop's queue behind other requests' work (and, for Redis, Redis's own wait for a core).
  const paced = {};
  let redisProbe = null;
  for (const target of cacheTargets.filter((t) => !t.hitsOnly)) {
    const redisTier = target.id === 'conduit-cache-redis';
    const before = await cacheMeters(target);
    // Beside the Redis tier's run, a bare client's GETs: the machine's own floor for a lookup.
    const [result, probe] = await Promise.all([
      wrk(target, 'cache', { connections: PACED_CACHE_CONNECTIONS, seconds: settings.seconds,
        bodyFile: 'chat-vary.json', vary: true, delayMs: 10 }),
      redisTier ? probeRedis({ seconds: settings.seconds }) : null,
    ]);
    const after = await cacheMeters(target);
    paced[target.id] = { rps: result.rps, lookupBuckets: bucketsBetween(before.lookupBuckets, after.lookupBuckets) };
    progress('cache lookups paced', target, 0, result, ['rps', 'p50', 'p99', 'errors']);
    if (redisTier) redisProbe = { paced: probe, idle: await probeRedis({ seconds: 5 }) };
  }
  return { kind: 'cache', hits, misses, meters, paced, redisProbe, pacedConnections: PACED_CACHE_CONNECTIONS };
}

// Each pausing 10 ms between requests: about 3,000 requests a second, under the Redis tier's peak.
const PACED_CACHE_CONNECTIONS = 32;

/** Each histogram bucket's count in `after` less its count in `before`, per tier. */
function bucketsBetween(before, after) {
  const out = {};
  for (const [tier, buckets] of Object.entries(after ?? {})) {
    out[tier] = {};
    for (const [le, count] of Object.entries(buckets)) out[tier][le] = count - (before?.[tier]?.[le] ?? 0);
  }
  return out;
}

/** The cache's counters and lookup-time histogram, read from the target's /metrics. */
async function cacheMeters(target) {
  const text = await (await fetch(`http://127.0.0.1:${target.adminPort}/metrics`)).text();
  const total = (name) => [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\}\\s+(\\S+)`, 'gm'))]
    .reduce((sum, m) => sum + Number(m[1]), 0);
  const buckets = {};
  for (const m of text.matchAll(/^conduit_cache_lookup_seconds_bucket\{([^}]*)\}\s+(\S+)/gm)) {
    const tier = /tier="([^"]*)"/.exec(m[1])?.[1];
    const le = /le="([^"]*)"/.exec(m[1])?.[1];
    (buckets[tier] ??= {})[le] = Number(m[2]);
  }
  return { hits: total('conduit_cache_hits_total'), misses: total('conduit_cache_misses_total'), lookupBuckets: buckets };
}

async function soakScenario(target) {
  if (!target) return null;
  console.log(`\n== soak: Conduit (SQLite) at a steady paced load for ${settings.soakSeconds} s`);
  const samples = [];
  const delayMs = 10;
  const connections = 50; // about 5,000 requests/s offered
  const result = await measured(target.pids('chat'), () => wrk(target, 'chat',
    { connections, seconds: settings.soakSeconds, bodyFile: 'chat.json', delayMs }),
  { sampleMs: 5000, onSample: (t, rss) => samples.push([t, rss]) });
  console.log(`  soak: rps=${fmt(result.rps)} errors=${result.errors} rss ${fmt(samples[0]?.[1])} -> ${fmt(samples.at(-1)?.[1])} MB`);
  return { kind: 'soak', connections, delayMs, result, samples };
}

async function requestLogRows(targets) {
  const rows = {};
  for (const target of targets.filter((t) => t.conduit)) {
    try {
      const metrics = await (await fetch(`http://127.0.0.1:${target.adminPort}/metrics`)).text();
      const written = /^conduit_request_log_written_total\S*\s+(\S+)/m.exec(metrics);
      const dropped = /^conduit_request_log_dropped_total\S*\s+(\S+)/m.exec(metrics);
      const served = [...metrics.matchAll(/^conduit_llm_requests_total\{[^}]*\}\s+(\S+)/gm)]
        .reduce((sum, m) => sum + Number(m[1]), 0);
      rows[target.id] = { served, written: Number(written?.[1] ?? 0), dropped: Number(dropped?.[1] ?? 0) };
    } catch (e) {
      rows[target.id] = { error: e.message };
    }
  }
  return rows;
}

function machineState() {
  let top = '';
  try {
    top = execFileSync('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers']).toString().split('\n').slice(0, 5).join('; ');
  } catch { /* ps missing */ }
  return {
    at: new Date().toISOString(),
    cpus: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadavg: os.loadavg().map((l) => l.toFixed(2)),
    uptime: execFileSync('uptime').toString().trim(),
    topProcesses: top,
  };
}

function versions() {
  const v = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0];
  };
  return {
    commit: v('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']) + (v('git', ['-C', REPO, 'status', '--porcelain']) ? ' (with local changes)' : ''),
    java: v('java', ['-version']),
    javaOpts: process.env.CONDUIT_JAVA_OPTS ?? '(launcher defaults)',
    nginx: v('nginx', ['-v']),
    wrk: v('wrk', ['-v']),
    node: process.version,
    kernel: os.release(),
  };
}

try {
  await main();
} catch (e) {
  console.error(`benchmark failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
