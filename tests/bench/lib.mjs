// lib.mjs — what the benchmark runners share (run-w1.mjs … run-w3.mjs, w4/run-w4.mjs):
// the spec's splitmix64 and the per-round shuffle, machine-load sampling
// from /proc/stat, result-line parsing, medians and formatting.
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import os from 'node:os';

// ---- splitmix64 shuffle (workloads.md §0; fixed seed) ------------------------
const M64 = (1n << 64n) - 1n;
export function splitmix(seed) {
  let s = BigInt.asUintN(64, seed);
  return () => {
    s = (s + 0x9E3779B97F4A7C15n) & M64;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & M64;
    return z ^ (z >> 31n);
  };
}
export function shuffle(arr, next) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Number(((next() & 0xFFFFFFFFn) * BigInt(i + 1)) >> 32n);   // bounded(r, i+1)
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

// ---- machine load -------------------------------------------------------------
// The runner shares the machine with whatever else runs. /proc/stat tells how
// many CPUs were busy during a job; the job itself keeps one busy, the rest
// ("others") is noise from other processes, reported per job and in the summary.
export const NCPU = os.cpus().length;
export function cpuTimes() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] || 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch { return null; }
}
export const busyCpus = (a, b) => (a && b && b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) * NCPU : NaN);
const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
export function waitIdle(maxSec) {
  const t0 = Date.now();
  for (;;) {
    const a = cpuTimes(); sleepMs(500); const b = cpuTimes();
    const busy = busyCpus(a, b);
    if (!(busy > 0.25) || Date.now() - t0 > maxSec * 1000) return busy;
  }
}
// One line for a summary: the median and max load and how many jobs were noisy.
export function loadLine(loads) {
  const ok = loads.filter((x) => !Number.isNaN(x));
  if (!ok.length) return null;
  const noisy = ok.filter((x) => x > 0.3).length;
  return `Machine load from other processes during the jobs: median ${median(ok).toFixed(2)} CPU, ` +
         `max ${Math.max(...ok).toFixed(2)}; ${noisy} of ${ok.length} jobs ran beside > 0.3 CPU of other work` +
         (noisy ? ' (figures are noisier than on a quiet machine).' : '.');
}
export const machineLine = () =>
  `${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
  `${os.type()} ${os.release()}, node ${process.version}`;
export const isoNow = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

// ---- result lines and statistics -------------------------------------------------
// "W1 key=value key=value ..." -> { key: value }
export function parseLine(line) {
  const o = {};
  for (const kv of line.trim().split(/\s+/).slice(1)) {
    const k = kv.indexOf('=');
    if (k > 0) o[kv.slice(0, k)] = kv.slice(k + 1);
  }
  return o;
}
export const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b), n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
/** Median and min–max of `field` over one job's per-round rows ([{ round, [field] }]), or null. */
export function roundStat(rows, field = 'warm') {
  if (!rows || !rows.length) return null;
  const xs = rows.map((r) => r[field]);
  return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}
/**
 * The ratio of two jobs' medians (num / den) and, from the rounds both ran
 * in, the min–max of the same ratio within single rounds; null without data.
 */
export function roundRatio(numRows, denRows, field = 'warm') {
  const a = roundStat(numRows, field), d = roundStat(denRows, field);
  if (!a || !d || !(d.med > 0)) return null;
  const rd = new Map(denRows.map((r) => [r.round, r[field]]));
  const per = numRows.filter((r) => rd.has(r.round)).map((r) => r[field] / rd.get(r.round));
  return { r: a.med / d.med, min: per.length ? Math.min(...per) : NaN, max: per.length ? Math.max(...per) : NaN };
}
export const f1 = (x) => (x == null || Number.isNaN(x) ? '—' : x.toFixed(1));
export const f2 = (x) => (x == null || Number.isNaN(x) ? '—' : x.toFixed(2));
export const pad = (s, n) => String(s).padStart(n);

// ---- backends of W2/W3 (CPython 3.12 + the pyheap harnesses) ----------------
/**
 * The (cpython-3.12, pyheap-native, pyheap-wasm) backends a runner times,
 * those the user asked for (`wanted`: names or null) and that exist:
 * CPython through pyenv, the harnesses built into `bin`. Missing ones are
 * reported and skipped; an unknown name is an error (`die`).
 *   w: 'w2' | 'w3'; pyArgs: arguments before the job's (the .py script);
 *   nodeArgs: node flags for the wasm harness; cwd: working directory or undefined.
 */
/**
 * CPython 3.12 through pyenv: { cmd, env, version } (version: PYENV_VERSION,
 * default 3.12.1) or null when there is no 3.12 to run.
 */
export function findPython() {
  const version = process.env.PYENV_VERSION || '3.12.1';
  const env = { ...process.env, PYENV_VERSION: version };
  for (const cmd of [`python${version}`, 'python3.12']) {
    const r = spawnSync(cmd, ['-c', 'import sys; assert sys.version_info[:2] == (3, 12)'], { env });
    if (!r.error && r.status === 0) return { cmd, env, version };
  }
  return null;
}

export function pickBackends({ w, wanted, bin, pyArgs, nodeArgs, cwd, die }) {
  const PYVER = process.env.PYENV_VERSION || '3.12.1';
  const ALL = [
    { name: 'cpython-3.12', cpython: true },
    { name: 'pyheap-native', file: `${w}-pyheap-native` },
    { name: 'pyheap-wasm', file: `${w}-pyheap-wasm.js`, wasm: true },
  ];
  if (wanted) for (const n of wanted) if (!ALL.some((b) => b.name === n)) die(`unknown backend ${n}`);
  const backends = [];
  for (const b of ALL) {
    if (wanted && !wanted.includes(b.name)) continue;
    if (b.cpython) {
      const py = findPython();
      if (!py) { console.log(`run-${w}: ${b.name}: PYENV_VERSION=${PYVER} python3.12 not found — skipped`); continue; }
      backends.push({ ...b, cmd: py.cmd, pre: pyArgs, cwd: cwd?.py, env: py.env });
    } else {
      const path = join(bin, b.file);
      if (!existsSync(path)) { console.log(`run-${w}: ${b.name}: ${path} not built — skipped (bash tests/bench/build-${w}.sh)`); continue; }
      backends.push({ ...b, cmd: b.wasm ? process.execPath : path, pre: b.wasm ? [...nodeArgs, path] : [],
                      cwd: cwd?.harness, env: process.env });
    }
  }
  if (!backends.length) die('nothing to run');
  return backends;
}
