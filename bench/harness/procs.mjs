// Starting, watching and stopping the benchmark's processes. Every process started here is
// remembered by pid and stopped by pid at exit, whatever way the run ends.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const started = [];
const cleanups = [];
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Starts a long-running process, its output going to logDir/name.log. */
export function start(name, command, args, { cwd, env, logDir } = {}) {
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  started.push({ name, child });
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) console.error(`  [${name}] exited (${code ?? signal}); see ${logDir}/${name}.log`);
  });
  return child;
}

/** Registers work to do at exit (dropping a database), after the processes are stopped. */
export function atExit(fn) {
  cleanups.push(fn);
}

let stopping = false;
/** Stops every started process (TERM, then KILL after 10 s) and runs the exit work. */
export async function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const { child } of started.reverse()) {
    if (!child.exited) {
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
    }
  }
  const deadline = Date.now() + 10_000;
  for (const { child } of started) {
    while (!child.exited && Date.now() < deadline) await sleep(100);
    if (!child.exited) {
      try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
  for (const fn of cleanups) {
    try { await fn(); } catch (e) { console.error(`cleanup failed: ${e.message}`); }
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a command to completion; resolves with its stdout. */
export function run(command, args, { env, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push({ name: command, child });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      child.exited = true;
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** The pid and all its descendants. */
export function tree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    try {
      for (const task of fs.readdirSync(`/proc/${all[i]}/task`)) {
        const children = fs.readFileSync(`/proc/${all[i]}/task/${task}/children`, 'utf8').trim();
        if (children) all.push(...children.split(/\s+/).map(Number));
      }
    } catch { /* exited */ }
  }
  return all;
}

/** CPU seconds (user + system) used so far by the processes. */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch { /* exited */ }
  }
  return ticks / CLOCK_TICKS;
}

/** Resident memory of the processes, in MB. */
export function rssMb(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) kb += Number(match[1]);
    } catch { /* exited */ }
  }
  return kb / 1024;
}

/** The machine's busy and total CPU ticks so far (all cores, from /proc/stat). */
function machineTicks() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is counted in user
  const idle = fields[3] + fields[4]; // idle, iowait
  return { busy: total - idle, total };
}

/**
 * Waits until the machine is quiet (under a tenth of its CPU busy over half a second), at most
 * 30 s: work a run leaves behind (a request log writer's backlog, a collection, the JIT) must not
 * land in the next target's run. Returns the seconds waited.
 */
export async function quiet({ busyShare = 0.1, maxSeconds = 30 } = {}) {
  const started = Date.now();
  while (Date.now() - started < maxSeconds * 1000) {
    const before = machineTicks();
    await sleep(500);
    const after = machineTicks();
    if ((after.busy - before.busy) / Math.max(1, after.total - before.total) < busyShare) break;
  }
  return (Date.now() - started) / 1000;
}

/**
 * Runs fn, once the machine is quiet, while sampling the processes' RSS; adds CPU seconds, peak
 * RSS and the seconds waited for quiet to its result.
 */
export async function measured(rootPids, fn, { sampleMs = 250, onSample } = {}) {
  const quietSeconds = await quiet();
  const pids = () => rootPids.flatMap(tree);
  const cpuBefore = cpuSeconds(pids());
  let peak = rssMb(pids());
  const t0 = Date.now();
  const sampler = setInterval(() => {
    const rss = rssMb(pids());
    peak = Math.max(peak, rss);
    if (onSample) onSample((Date.now() - t0) / 1000, rss);
  }, sampleMs);
  try {
    const result = await fn();
    return { ...result, cpuSeconds: cpuSeconds(pids()) - cpuBefore, peakRssMb: peak, quietSeconds };
  } finally {
    clearInterval(sampler);
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    console.error(`\n${signal}: stopping every process the benchmark started...`);
    await stopAll();
    process.exit(130);
  });
}
