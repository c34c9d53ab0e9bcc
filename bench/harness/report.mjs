// Turns a benchmark run into tables: printed, and written to bench/results/ (Markdown + JSON).
import fs from 'node:fs';
import path from 'node:path';
import { median } from './common.mjs';

const CONDUITS = ['conduit-sqlite', 'conduit-postgres'];

export function report(results, dir) {
  const labels = Object.fromEntries(results.targets.map((t) => [t.id, t.label]));
  const s = results.scenarios;
  const out = [];
  const stamp = results.machineBefore.at.replace(/:\d\d\.\d+Z$/, 'Z').replace(/[:]/g, '');
  out.push(`# Conduit benchmark, ${results.machineBefore.at.slice(0, 16).replace('T', ' ')} UTC`);
  out.push('');
  out.push(machineNote(results));
  out.push('');
  out.push('Medians of ' + results.settings.repeats + ' interleaved runs per target (2 for the open-streams scenarios), each target warmed for ' + results.settings.warmupSeconds + ' s' + (results.settings.cacheWarmupSeconds && results.settings.cacheWarmupSeconds !== results.settings.warmupSeconds ? ' (' + results.settings.cacheWarmupSeconds + ' s for the cache scenario)' : '') + ', then a short run on new connections, before a scenario\'s runs; `(min–max)` is the spread. '
    + '"Added" is the target\'s median minus the mock called directly, in the same run. '
    + 'CPU is user + system seconds of the target\'s processes per 1,000 requests (or streams); RSS is the peak resident memory of its processes during the runs.');
  out.push('');

  if (s.chat) {
    for (const [level, runs] of Object.entries(s.chat.levels)) {
      out.push(`## Non-streaming chat completion, concurrency ${level}`);
      out.push('');
      out.push(wrkTable(runs, labels));
      out.push(ratios(runs, 'rps', 'throughput', true));
      out.push('');
    }
  }
  if (s.half) {
    out.push(`## Latency at half of Conduit's peak throughput (${s.half.rate} requests/s offered: ${s.half.connections} connections, each pausing ${s.half.delayMs} ms between requests)`);
    out.push('');
    out.push(wrkTable(s.half.runs, labels));
    out.push('');
  }
  if (s.stream) {
    out.push(`## Streaming chat completion (${results.settings.streamChunks} chunks, ${results.settings.streamGapMs} ms apart; concurrency ${results.settings.streamConcurrency})`);
    out.push('');
    out.push(streamTable(s.stream.runs, labels));
    out.push(ratios(s.stream.runs, 'streamsPerSecond', 'streams/s', true));
    out.push('');
  }
  for (const key of Object.keys(s).filter((k) => k.startsWith('held'))) {
    const held = s[key];
    out.push(`## ${held.count.toLocaleString('en')} concurrent open streams (each ${results.settings.heldChunks} chunks, ${results.settings.heldGapMs} ms apart; opened at ${results.settings.heldOpenRate}/s)`);
    out.push('');
    out.push(heldTable(held.runs, labels, results.settings));
    out.push('');
  }
  if (s.bigbody) {
    out.push(`## One-million-token request body (${(s.bigbody.bytes / 1e6).toFixed(1)} MB JSON) passed through, concurrency ${results.settings.bigBodyConcurrency}`);
    out.push('');
    out.push(wrkTable(s.bigbody.runs, labels));
    out.push(ratios(s.bigbody.runs, 'rps', 'throughput', true));
    out.push('');
  }
  if (s.cache) {
    out.push('## Response cache: hits (the same request, answered from the cache), concurrency 32');
    out.push('');
    out.push(wrkTable(s.cache.hits, labels));
    out.push(cacheRatios(s.cache.hits, 'nginx', 'hit throughput'));
    out.push('');
    out.push('## Response cache: misses (every request different), concurrency 32');
    if (results.settings.cacheMaxBytes) {
      out.push('', `The caching Conduits ran with \`cache.maxBytes: ${results.settings.cacheMaxBytes}\` (\`--cache-max-bytes\`).`);
    }
    out.push('');
    out.push(wrkTable(s.cache.misses, labels));
    out.push(cacheRatios(s.cache.misses, 'conduit-sqlite', 'miss throughput'));
    const redisShare = redisMissWork(s.cache.misses, results.machineBefore.cpus, results.settings.pin);
    if (redisShare) out.push('', redisShare);
    out.push('');
    out.push(cacheLookups(s.cache.meters, labels));
    if (s.cache.paced) out.push('', cachePacedLookups(s.cache, labels));
    out.push('');
  }
  if (s.soak) {
    out.push(`## Soak: Conduit (SQLite), ${results.settings.soakSeconds} s at a steady paced load`);
    out.push('');
    out.push(soakText(s.soak));
    out.push('');
  }
  if (results.logRows && Object.keys(results.logRows).length) {
    out.push('## Request log rows (every request above was logged to the database)');
    out.push('');
    out.push('| Target | model requests served | rows written | rows dropped |');
    out.push('|---|---:|---:|---:|');
    for (const [id, r] of Object.entries(results.logRows)) {
      out.push(`| ${labels[id]} | ${r.served ?? '?'} | ${r.written ?? '?'} | ${r.dropped ?? '?'} |`);
    }
    out.push('');
  }
  for (const [name, message] of Object.entries(results.failed ?? {})) {
    out.push(`**Scenario ${name} failed: ${message}**`);
    out.push('');
  }
  out.push('## Targets');
  out.push('');
  out.push(targetsTable(results));
  out.push('');
  out.push('## Versions');
  out.push('');
  for (const [k, v] of Object.entries(results.versions ?? {})) out.push(`- ${k}: ${v}`);
  out.push('');

  const text = out.join('\n');
  console.log('\n' + text);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${stamp}.md`);
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(results, null, 1));
  console.log(`\nwritten: ${file} (raw numbers in ${stamp}.json)`);
}

function machineNote(results) {
  const b = results.machineBefore;
  const a = results.machineAfter;
  const busy = Number(b.loadavg[0]) > 0.5 * b.cpus;
  return [
    `Machine: ${b.cpus} cores, ${b.memoryGb} GB; every process (load generator, mocks, proxies) on it, over loopback.`,
    results.settings.pin ? `Pinned (\`--pin\`): the targets on core ${results.settings.pin.targets} (each alone while it is measured); the load generator, the mocks, Redis and PostgreSQL on core(s) ${results.settings.pin.rest}.` : '',
    `Load before: \`${b.uptime}\`; after: \`${a?.uptime ?? '?'}\`.`,
    `Busiest processes before the run: ${b.topProcesses}.`,
    busy ? `\n**Preliminary: the machine was busy before the run (1-minute load ${b.loadavg[0]} on ${b.cpus} cores); these numbers are noisy.**` : '',
  ].join('\n');
}

function get(run, field) {
  return field.split('.').reduce((o, k) => o?.[k], run);
}

function med(runs, field) {
  return median((runs ?? []).map((r) => get(r, field)));
}

function spread(runs, field, digits) {
  const values = (runs ?? []).map((r) => get(r, field)).filter((v) => typeof v === 'number');
  const m = median(values);
  if (m === null) return '–';
  if (values.length < 2) return n(m, digits);
  return `${n(m, digits)} (${n(Math.min(...values), digits)}–${n(Math.max(...values), digits)})`;
}

function n(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (digits === 0) return Math.round(v).toLocaleString('en');
  return v.toFixed(digits);
}

function added(runs, all, field, digits = 2) {
  const direct = med(all.direct, field);
  const mine = med(runs, field);
  if (direct === null || mine === null) return '–';
  const d = mine - direct;
  return (d >= 0 ? '+' : '') + n(d, digits);
}

function cpuPer1k(runs, countField) {
  return median(runs.map((r) => (get(r, countField) > 0 ? (r.cpuSeconds / get(r, countField)) * 1000 : null)));
}

function wrkTable(all, labels) {
  const rows = ['| Target | req/s | p50 ms | p99 ms | p99.9 ms | added p50 | added p99 | CPU s / 1k req | peak RSS MB | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [id, runs] of Object.entries(all)) {
    rows.push(`| ${labels[id]} | ${spread(runs, 'rps', 0)} | ${n(med(runs, 'p50'))} | ${spread(runs, 'p99', 2)} | ${n(med(runs, 'p999'))} | `
      + `${id === 'direct' ? '' : added(runs, all, 'p50')} | ${id === 'direct' ? '' : added(runs, all, 'p99')} | `
      + `${n(cpuPer1k(runs, 'requests'), 3)} | ${n(med(runs, 'peakRssMb'), 0)} | ${sum(runs, 'errors')} |`);
  }
  return rows.join('\n');
}

function streamTable(all, labels) {
  const rows = ['| Target | streams/s | first chunk p50 ms | p99 | p99.9 | added first chunk p50 | added p99 | total p50 ms | total p99 | chunk transit p99 ms | added transit p99 | CPU s / 1k streams | peak RSS MB | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [id, runs] of Object.entries(all)) {
    const d = id === 'direct';
    rows.push(`| ${labels[id]} | ${spread(runs, 'streamsPerSecond', 0)} | ${n(med(runs, 'ttfcMs.p50'))} | ${spread(runs, 'ttfcMs.p99', 2)} | ${n(med(runs, 'ttfcMs.p999'))} | `
      + `${d ? '' : added(runs, all, 'ttfcMs.p50')} | ${d ? '' : added(runs, all, 'ttfcMs.p99')} | ${n(med(runs, 'totalMs.p50'))} | ${n(med(runs, 'totalMs.p99'))} | `
      + `${n(med(runs, 'chunkTransitMs.p99'))} | ${d ? '' : added(runs, all, 'chunkTransitMs.p99')} | ${n(cpuPer1k(runs, 'completed'), 3)} | ${n(med(runs, 'peakRssMb'), 0)} | ${sum(runs, 'errors')} |`);
  }
  return rows.join('\n');
}

function heldTable(all, labels, settings) {
  const rows = [`| Target | protocol | streams completed | errors | most open at once | peak RSS MB | chunk transit p50 ms | p99 | max | chunks later than ${settings.lateMs} ms | CPU s |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [id, runs] of Object.entries(all)) {
    const chunks = median(runs.map((r) => r.chunks));
    const late = median(runs.map((r) => r.lateChunks));
    rows.push(`| ${labels[id]} | ${runs[0]?.protocol ?? ''} | ${spread(runs, 'completed', 0)} | ${sum(runs, 'errors')}${errorKinds(runs)} | ${n(med(runs, 'maxOpen'), 0)} | `
      + `${spread(runs, 'peakRssMb', 0)} | ${n(med(runs, 'chunkTransitMs.p50'))} | ${spread(runs, 'chunkTransitMs.p99', 2)} | ${n(med(runs, 'chunkTransitMs.max'))} | `
      + `${n(late, 0)} of ${n(chunks, 0)} | ${n(med(runs, 'cpuSeconds'), 1)} |`);
  }
  return rows.join('\n');
}

function errorKinds(runs) {
  const kinds = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.errorKinds ?? {})) kinds[k] = (kinds[k] ?? 0) + v;
  const text = Object.entries(kinds).map(([k, v]) => `${k}: ${v}`).join(', ');
  return text ? ` (${text})` : '';
}

function sum(runs, field) {
  return (runs ?? []).reduce((a, r) => a + (get(r, field) ?? 0), 0);
}

function ratios(all, field, name) {
  const lines = [];
  for (const id of CONDUITS.filter((c) => all[c])) {
    const mine = med(all[id], field);
    const parts = [];
    for (const peer of ['nginx', 'portkey'].filter((p) => all[p])) {
      const theirs = med(all[peer], field);
      const p99 = field === 'rps' ? 'p99' : 'ttfcMs.p99';
      parts.push(`${name} ${n(mine / theirs)}x ${peer}, p99 ${n(med(all[id], p99) / med(all[peer], p99))}x ${peer}`);
    }
    if (parts.length) lines.push(`- ${id}: ${parts.join('; ')}`);
  }
  return lines.length ? '\n' + lines.join('\n') : '';
}

const CACHE_TARGETS = ['conduit-cache', 'conduit-cache-min2', 'conduit-cache-redis', 'conduit-cache-postgres'];

function cacheRatios(all, peer, name) {
  const theirs = med(all[peer], 'rps');
  const lines = CACHE_TARGETS.filter((id) => all[id] && theirs)
    .map((id) => `- ${id}: ${name} ${n(med(all[id], 'rps') / theirs)}x ${peer}`);
  return lines.length ? '\n' + lines.join('\n') : '';
}

/** Share of lookups at or under 0.2 ms and 1 ms, from the cache's histogram buckets. */
function lookupShares(buckets) {
  // Micrometer writes the bounds as Java prints doubles ("2.0E-4"): compare them as numbers.
  const count = buckets['+Inf'] ?? 0;
  const at = (bound) => Object.entries(buckets).find(([le]) => Number(le) === bound)?.[1] ?? 0;
  const share = (bound) => (count ? at(bound) / count : null);
  return { count, under200us: share(0.0002), under1ms: share(0.001) };
}

function cacheLookups(meters, labels) {
  const rows = ['Cache lookups over the whole scenario, from each Conduit\'s `conduit_cache_lookup_seconds` histogram '
    + '(buckets at 50 µs, 200 µs, 1, 5, 25 ms: a share of at least 99 % under a bound means p99 under it):', '',
    '| Target | hits | misses | tier | lookups | ≤ 0.2 ms | ≤ 1 ms |', '|---|---:|---:|---|---:|---:|---:|'];
  for (const [id, m] of Object.entries(meters ?? {})) {
    for (const [tier, buckets] of Object.entries(m.lookupBuckets ?? {})) {
      const l = lookupShares(buckets);
      rows.push(`| ${labels[id]} | ${n(m.hits, 0)} | ${n(m.misses, 0)} | ${tier} | ${n(l.count, 0)} | `
        + `${l.under200us === null ? '–' : n(100 * l.under200us, 2) + ' %'} | ${l.under1ms === null ? '–' : n(100 * l.under1ms, 2) + ' %'} |`);
    }
  }
  return rows.join('\n');
}

/**
 * What Redis itself spent on each of the Redis tier's misses (its INFO counters around each run),
 * beside the budget that the aim "misses cost under 5 % throughput" leaves on this machine.
 */
function redisMissWork(misses, cpus, pin) {
  const runs = (misses['conduit-cache-redis'] ?? []).filter((r) => r.redis);
  if (!runs.length) return null;
  if (pin) {
    // Redis is off the targets' core: the aim's budget is Conduit's own CPU on its one core.
    const budgetUs = (0.05 * 1e6) / med(misses['conduit-sqlite'], 'rps');
    const ownUs = 1000 * (cpuPer1k(runs, 'requests') - cpuPer1k(misses['conduit-sqlite'], 'requests'));
    return `Redis ran on cores of its own (\`--pin\`): ${n(med(runs, 'redis.cpuUsPerRequest'), 1)} µs of its CPU per miss, `
      + `${n(med(runs, 'redis.commandsPerRead'), 2)} commands per read, none of it on Conduit's core. `
      + `The aim "misses cost under 5 % throughput" leaves ${n(budgetUs, 1)} µs of Conduit's one core per request; `
      + `a Redis-tier miss took ${n(ownUs, 1)} µs more of Conduit's CPU than a request without a cache (medians of each run's CPU per request, as in the table).`;
  }
  const budgetUs = (0.05 * cpus * 1e6) / med(misses['conduit-sqlite'], 'rps');
  return `Redis's own work for each Redis-tier miss (its \`INFO\` counters around each run, medians): `
    + `${n(med(runs, 'redis.cpuUsPerRequest'), 1)} µs of Redis CPU, of which its commands take `
    + `${n(med(runs, 'redis.commandUsPerRequest'), 2)} µs (GET ${n(med(runs, 'redis.getUsPerCall'), 2)} µs, `
    + `SET ${n(med(runs, 'redis.setUsPerCall'), 2)} µs a call) and the rest is its socket I/O; `
    + `${n(med(runs, 'redis.commandsPerRead'), 2)} commands arrive per read. The aim "misses cost under 5 % `
    + `throughput" leaves ${n(budgetUs, 1)} µs of this machine's CPU per request (5 % of ${cpus} cores' `
    + 'time per request of Conduit without a cache) for everything a miss adds, Redis included.';
}

function cachePacedLookups(cache, labels) {
  const rows = [`Cache lookups at a paced load (misses: ${cache.pacedConnections} connections, each pausing 10 ms `
    + 'between requests), the same histogram read before and after:', '',
    '| Target | req/s | tier | lookups | ≤ 0.2 ms | ≤ 1 ms |', '|---|---:|---|---:|---:|---:|'];
  for (const [id, p] of Object.entries(cache.paced)) {
    for (const [tier, buckets] of Object.entries(p.lookupBuckets ?? {})) {
      const l = lookupShares(buckets);
      if (!l.count) continue;
      rows.push(`| ${labels[id]} | ${n(p.rps, 0)} | ${tier} | ${n(l.count, 0)} | `
        + `${n(100 * l.under200us, 2)} % | ${n(100 * l.under1ms, 2)} % |`);
    }
  }
  const probe = cache.redisProbe;
  if (probe?.paced) {
    const line = (p) => `${n(p.samples, 0)} round trips, p50 ${n(p.p50, 3)} ms, p99 ${n(p.p99, 2)} ms, `
      + `${n(100 * p.under200us, 2)} % under 0.2 ms, ${n(100 * p.under1ms, 2)} % under 1 ms`;
    rows.push('', 'The machine\'s own floor for a Redis lookup: a bare client (the harness, a GET of a missing key '
      + 'every 2 ms on its own connection) during the Redis tier\'s paced run: ' + line(probe.paced)
      + '; right after it, with the gateways idle: ' + line(probe.idle) + '.');
  }
  return rows.join('\n');
}

function slopeMbPerMin(samples) {
  const tail = samples.slice(Math.floor(samples.length / 5)); // after warm-up
  if (tail.length < 3) return null;
  const mx = tail.reduce((a, [t]) => a + t, 0) / tail.length;
  const my = tail.reduce((a, [, y]) => a + y, 0) / tail.length;
  let num = 0;
  let den = 0;
  for (const [t, y] of tail) {
    num += (t - mx) * (y - my);
    den += (t - mx) ** 2;
  }
  return den ? (num / den) * 60 : null;
}

function soakText(soak) {
  const s = soak.samples;
  const first = s.slice(0, Math.max(1, Math.floor(s.length / 10)));
  const last = s.slice(-Math.max(1, Math.floor(s.length / 10)));
  const avg = (xs) => xs.reduce((a, [, y]) => a + y, 0) / xs.length;
  const slope = slopeMbPerMin(s);
  return [
    `${n(soak.result.rps, 0)} requests/s for ${soak.samples.at(-1)?.[0]?.toFixed(0)} s (${soak.connections} connections pausing ${soak.delayMs} ms), `
      + `${soak.result.errors} errors, p50 ${n(soak.result.p50)} ms, p99 ${n(soak.result.p99)} ms, CPU ${n((soak.result.cpuSeconds / soak.result.requests) * 1000, 3)} s / 1k req.`,
    '',
    `RSS: ${n(avg(first), 0)} MB in the first tenth, ${n(avg(last), 0)} MB in the last tenth, peak ${n(soak.result.peakRssMb, 0)} MB; `
      + `trend after the first fifth: ${n(slope, 2)} MB/min.`,
    '',
    'RSS every 5 s (MB): ' + s.map(([, y]) => Math.round(y)).join(' '),
  ].join('\n');
}

function targetsTable(results) {
  const s = results.scenarios;
  const rows = ['| Target | measured | met? |', '|---|---|---|'];
  const c = 'conduit-sqlite';
  // Issue 18's targets (performance, round two).
  if (s.chat?.levels?.[32]) {
    const level = s.chat.levels[32];
    const r = med(level[c], 'rps') / med(level.nginx, 'rps');
    rows.push(`| Non-streaming throughput at concurrency 32 (SQLite) ≥ 0.75x nginx | ${n(r)}x | ${r >= 0.75 ? 'yes' : `no: short by ${n(0.75 - r)}x`} |`);
    if (level['conduit-postgres']) {
      const pg = med(level['conduit-postgres'], 'rps') / med(level.nginx, 'rps');
      rows.push(`| Non-streaming throughput at concurrency 32 (PostgreSQL + Redis) ≥ 0.65x nginx | ${n(pg)}x | ${pg >= 0.65 ? 'yes' : `no: short by ${n(0.65 - pg)}x`} |`);
    }
    const cpu = (target) => cpuPer1k(level[target], 'requests') * 1000;
    const ratio = cpu(c) / cpu('nginx');
    rows.push(`| CPU per request ≤ 1.5x nginx's (15 µs where nginx takes 10 µs), concurrency 32 | ${n(cpu(c), 1)} µs against nginx's ${n(cpu('nginx'), 1)} µs: ${n(ratio)}x | ${ratio <= 1.5 ? 'yes' : `no: over by ${n(ratio - 1.5)}x`} |`);
  }
  if (s.chat?.levels?.[256]) {
    const p99 = med(s.chat.levels[256][c], 'p99') - med(s.chat.levels[256].direct, 'p99');
    rows.push(`| Added p99 at concurrency 256 < 5 ms | ${n(p99)} ms | ${p99 < 5 ? 'yes' : `no: over by ${n(p99 - 5)} ms`} |`);
  }
  if (s.half) {
    const p50 = med(s.half.runs[c], 'p50') - med(s.half.runs.direct, 'p50');
    const p99 = med(s.half.runs[c], 'p99') - med(s.half.runs.direct, 'p99');
    rows.push(`| Added latency at half peak: p50 < 0.3 ms | ${n(p50)} ms | ${p50 < 0.3 ? 'yes' : `no: over by ${n(p50 - 0.3)} ms`} |`);
    rows.push(`| Added latency at half peak: p99 < 1 ms | ${n(p99)} ms | ${p99 < 1 ? 'yes' : `no: over by ${n(p99 - 1)} ms`} |`);
  }
  if (s.stream) {
    const ttfc = med(s.stream.runs[c], 'ttfcMs.p99') - med(s.stream.runs.direct, 'ttfcMs.p99');
    const transit = med(s.stream.runs[c], 'chunkTransitMs.p99') - med(s.stream.runs.direct, 'chunkTransitMs.p99');
    rows.push(`| Streaming: first chunk adds < 1 ms at p99 | ${n(ttfc)} ms | ${ttfc < 1 ? 'yes' : `no: over by ${n(ttfc - 1)} ms`} |`);
    rows.push(`| Streaming: chunks never held back (chunk transit p99 added < 1 ms, all chunks arrive) | ${n(transit)} ms, ${sum(s.stream.runs[c], 'errors')} errors | ${transit < 1 && sum(s.stream.runs[c], 'errors') === 0 ? 'yes' : 'no'} |`);
  }
  const held = s.held10000;
  if (held?.runs?.[c]) {
    const errors = sum(held.runs[c], 'errors');
    const rss = Math.max(...held.runs[c].map((r) => r.peakRssMb));
    const late = sum(held.runs[c], 'lateChunks');
    rows.push(`| 10,000 open streams: no errors | ${errors} errors | ${errors === 0 ? 'yes' : 'no'} |`);
    rows.push(`| 10,000 open streams: RSS < 512 MB | ${n(rss, 0)} MB (worst run) | ${rss < 512 ? 'yes' : `no: over by ${n(rss - 512, 0)} MB`} |`);
    rows.push(`| 10,000 open streams: chunks on time (none later than ${results.settings.lateMs} ms) | ${late} late chunks, transit p99 ${n(med(held.runs[c], 'chunkTransitMs.p99'))} ms | ${late === 0 ? 'yes' : 'no'} |`);
  }
  if (s.cache) {
    const hit = med(s.cache.hits['conduit-cache'], 'rps') / med(s.cache.hits.nginx, 'rps');
    rows.push(`| Cache hits (memory tier) ≥ 0.8x nginx's proxy throughput | ${n(hit)}x | ${hit >= 0.8 ? 'yes' : `no: short by ${n(0.8 - hit)}x`} |`);
    if (s.cache.hits['conduit-cache-postgres']) {
      const hitPg = med(s.cache.hits['conduit-cache-postgres'], 'rps') / med(s.cache.hits.nginx, 'rps');
      rows.push(`| Cache hits (memory tier, request log in PostgreSQL) ≥ 0.8x nginx's proxy throughput | ${n(hitPg)}x | ${hitPg >= 0.8 ? 'yes' : `no: short by ${n(0.8 - hitPg)}x`} |`);
    }
    const miss = 1 - med(s.cache.misses['conduit-cache'], 'rps') / med(s.cache.misses['conduit-sqlite'], 'rps');
    rows.push(`| Cache misses (memory tier) cost < 5 % throughput | ${n(100 * miss, 1)} % | ${miss < 0.05 ? 'yes' : 'no'} |`);
    if (s.cache.misses['conduit-cache-min2']) {
      const missMin2 = 1 - med(s.cache.misses['conduit-cache-min2'], 'rps') / med(s.cache.misses['conduit-sqlite'], 'rps');
      rows.push(`| Cache misses (memory tier, \`minUses: 2\`) cost < 5 % throughput | ${n(100 * missMin2, 1)} % | ${missMin2 < 0.05 ? 'yes' : 'no'} |`);
    }
    const missRedis = 1 - med(s.cache.misses['conduit-cache-redis'], 'rps') / med(s.cache.misses['conduit-sqlite'], 'rps');
    rows.push(`| Cache misses (Redis tier) cost < 5 % throughput | ${n(100 * missRedis, 1)} % | ${missRedis < 0.05 ? 'yes' : 'no'} |`);
    const memory = lookupShares(s.cache.meters?.['conduit-cache']?.lookupBuckets?.memory ?? {});
    const redis = lookupShares(s.cache.meters?.['conduit-cache-redis']?.lookupBuckets?.redis ?? {});
    rows.push(`| Cache lookup p99 < 0.2 ms (memory) | ${n(100 * (memory.under200us ?? 0), 2)} % under 0.2 ms | ${memory.under200us >= 0.99 ? 'yes' : 'no'} |`);
    rows.push(`| Cache lookup p99 < 1 ms (Redis) | ${n(100 * (redis.under1ms ?? 0), 2)} % under 1 ms | ${redis.under1ms >= 0.99 ? 'yes' : 'no'} |`);
    if (s.cache.paced) {
      const pacedMemory = lookupShares(s.cache.paced['conduit-cache']?.lookupBuckets?.memory ?? {});
      const pacedRedis = lookupShares(s.cache.paced['conduit-cache-redis']?.lookupBuckets?.redis ?? {});
      rows.push(`| Cache lookup p99 < 0.2 ms (memory), paced load | ${n(100 * (pacedMemory.under200us ?? 0), 2)} % under 0.2 ms | ${pacedMemory.under200us >= 0.99 ? 'yes' : 'no'} |`);
      rows.push(`| Cache lookup p99 < 1 ms (Redis), paced load | ${n(100 * (pacedRedis.under1ms ?? 0), 2)} % under 1 ms | ${pacedRedis.under1ms >= 0.99 ? 'yes' : 'no'} |`);
      const floor = s.cache.redisProbe?.paced;
      if (floor) {
        rows.push(`| (the floor: a bare Redis client's GET, same paced load) | ${n(100 * floor.under1ms, 2)} % under 1 ms | ${floor.under1ms >= 0.99 ? 'yes' : 'no'} |`);
      }
    }
  }
  if (s.soak) {
    const slope = slopeMbPerMin(s.soak.samples);
    const flat = slope !== null && Math.abs(slope) < 2;
    rows.push(`| Memory flat across the soak (|trend| < 2 MB/min) | ${n(slope, 2)} MB/min over ${results.settings.soakSeconds} s | ${flat ? 'yes' : 'no'} |`);
  }
  return rows.join('\n');
}
