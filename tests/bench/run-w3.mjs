#!/usr/bin/env node
// run-w3.mjs — runs W3 `refcount-cascade` (workloads.md W3): free a 1M-long
// chain by dropping its head, for kinds list, slots and inst, on CPython 3.12
// (tests/bench/w3.py), pyheap-native and pyheap-wasm (tests/bench/w3.c, built
// by build-w3.sh into build/bench/), and prints ns per node and the ratios to
// CPython.
//
//   node tests/bench/run-w3.mjs [--rounds N] [--quick] [--kinds list,slots,inst]
//                               [--backends a,b] [--n N] [--seed S] [--bin DIR]
//                               [--out DIR] [--timeout SEC] [--wait-idle SEC]
//
// One job = one (backend, kind) = one fresh process doing rep 0 (cold) and
// rep 1 (reported), each timing only `del head`. Every round runs every job
// once in an order shuffled with a fixed seed (lib.mjs), as run-w1.mjs does.
//
// A pyheap harness may answer a kind it cannot build with exit status 3 and a
// line containing "n/a (...)"; this runner then prints that in the row
// instead of failing (all three kinds are built today).
//
// Files written to --out (default build/bench/): w3-raw.txt, w3-summary.md,
// w3-summary.json. Exit status 0 if every job that ran passed, 1 otherwise.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitmix, shuffle, cpuTimes, busyCpus, waitIdle, loadLine, machineLine, isoNow, parseLine,
         f1, f2, pad, pickBackends, roundStat, roundRatio } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const NA = 'n/a (classes not yet in the core)';

// ---- arguments -------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = { rounds: 5, quick: false, kinds: null, backends: null, n: 1000000, seed: 0x57330003n,
              bin: join(ROOT, 'build', 'bench'), out: null, timeout: 300, waitIdle: 0 };
function die(msg) { console.error(`run-w3: ${msg}`); process.exit(2); }
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
  if (a === '--rounds') opt.rounds = parseInt(val(), 10);
  else if (a === '--quick') opt.quick = true;
  else if (a === '--kinds') opt.kinds = val().split(',').filter(Boolean);
  else if (a === '--backends') opt.backends = val().split(',').filter(Boolean);
  else if (a === '--n') opt.n = parseInt(val(), 10);
  else if (a === '--seed') opt.seed = BigInt(val());
  else if (a === '--bin') opt.bin = resolve(val());
  else if (a === '--out') opt.out = resolve(val());
  else if (a === '--timeout') opt.timeout = parseInt(val(), 10);
  else if (a === '--wait-idle') opt.waitIdle = parseInt(val(), 10);
  else if (a === '-h' || a === '--help') {
    console.log('usage: node tests/bench/run-w3.mjs [--rounds N (5)] [--quick (1 round)] [--kinds list,slots,inst]\n' +
                '       [--backends cpython-3.12,pyheap-native,pyheap-wasm] [--n N (1000000; the spec\'s is 1M)]\n' +
                '       [--seed S] [--bin DIR] [--out DIR] [--timeout SEC (300)] [--wait-idle SEC]');
    process.exit(0);
  } else die(`unknown argument ${a}`);
}
if (!(opt.rounds >= 1)) die('--rounds must be >= 1');
if (!(opt.n >= 1)) die('--n must be >= 1');
if (opt.quick && !argv.includes('--rounds')) opt.rounds = 1;
opt.out ??= opt.bin;

const KINDS = ['list', 'slots', 'inst'];
const kinds = opt.kinds ?? KINDS;
for (const k of kinds) if (!KINDS.includes(k)) die(`unknown kind ${k}`);

// ---- backends -----------------------------------------------------------------
const backends = pickBackends({ w: 'w3', wanted: opt.backends, bin: opt.bin, pyArgs: [join(HERE, 'w3.py')],
  nodeArgs: ['--no-experimental-fetch'], cwd: { py: HERE, harness: opt.bin }, die });

// ---- one job ------------------------------------------------------------------
function runJob(b, kind) {
  const c0 = cpuTimes();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(b.cmd, [...b.pre, kind, String(opt.n)], { cwd: b.cwd, env: b.env, encoding: 'utf8',
                                                               timeout: opt.timeout * 1000, maxBuffer: 1 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const others = Math.max(0, busyCpus(c0, cpuTimes()) - 1);
  const lines = (r.stdout || '').split('\n').filter((l) => l.startsWith('W3 '));
  const fail = (why) => ({ ok: false, why, wall, lines, stderr: (r.stderr || '').trim() });
  if (r.error) return fail(`spawn error: ${r.error.message}`);
  if (!b.cpython && r.status === 3 && lines.some((l) => l.includes('n/a'))) return { ok: true, na: true, lines, wall };
  if (r.status !== 0) return fail(`exit status ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`);
  if (lines.length !== 1) return fail(`expected one W3 line, got ${lines.length}`);
  const x = parseLine(lines[0]);
  if (x.kind !== kind || +x.N !== opt.n) return fail(`line says kind=${x.kind} N=${x.N}`);
  if (!(+x.ns > 0) || !(+x.cold_ns > 0)) return fail('no timing');
  // list nodes are a list object + an item array: 2N blocks freed, less the 80-list free list
  if (!b.cpython && kind === 'list' && !(+x.freed_blocks >= 2 * opt.n - 80))
    return fail(`freed_blocks=${x.freed_blocks} < 2N - 80`);
  return { ok: true, lines, wall, others, warm: +x.ns / opt.n, cold: +x.cold_ns / opt.n, py: x.py };
}

// ---- rounds -------------------------------------------------------------------
const jobs = [];
for (const b of backends) for (const k of kinds) jobs.push({ b, k });
const results = new Map();             // `${backend}|${kind}` -> [{ round, warm, cold, others }]
const na = new Set();                  // `${backend}|${kind}` answered n/a
const failures = [], raw = [], loads = [];
const next = splitmix(opt.seed);
const started = Date.now();
console.log(`W3 refcount-cascade: ${backends.length} backends × ${kinds.length} kinds × ${opt.rounds} rounds, ` +
            `N = ${opt.n} (${backends.map((b) => b.name).join(', ')})`);
for (let round = 1; round <= opt.rounds; round++) {
  const order = shuffle(jobs.filter(({ b, k }) => !na.has(`${b.name}|${k}`)), next);
  for (let j = 0; j < order.length; j++) {
    const { b, k } = order[j];
    if (opt.waitIdle > 0) waitIdle(opt.waitIdle);
    const res = runJob(b, k);
    const tag = `[round ${round}/${opt.rounds} job ${String(j + 1).padStart(2)}/${order.length}]`;
    raw.push(...res.lines);
    if (!res.ok) {
      failures.push({ round, backend: b.name, kind: k, why: res.why, stderr: res.stderr });
      console.log(`${tag} ${b.name.padEnd(14)} ${k.padEnd(5)} FAILED: ${res.why}`);
      if (res.stderr) console.log(res.stderr.split('\n').map((l) => `      | ${l}`).join('\n'));
      continue;
    }
    if (res.na) {
      na.add(`${b.name}|${k}`);
      console.log(`${tag} ${b.name.padEnd(14)} ${k.padEnd(5)} ${NA}`);
      continue;
    }
    const key = `${b.name}|${k}`;
    if (!results.has(key)) results.set(key, []);
    results.get(key).push({ round, warm: res.warm, cold: res.cold, others: +res.others.toFixed(2) });
    loads.push(res.others);
    console.log(`${tag} ${b.name.padEnd(14)} ${k.padEnd(5)} ${res.warm.toFixed(1).padStart(7)} ns/node ` +
                `(cold ${res.cold.toFixed(1)})  ${res.wall.toFixed(2)} s` +
                (Number.isNaN(res.others) ? '' : `  others ${res.others.toFixed(1)} CPU`));
  }
}

// ---- summary --------------------------------------------------------------------
const stat = (bk, k, field = 'warm') => roundStat(results.get(`${bk}|${k}`), field);
const ratio = (num, k) => roundRatio(results.get(`${num}|${k}`), results.get(`cpython-3.12|${k}`));
const W = 34;   // fits the n/a text
function table(title, cellFn) {
  const lines = [title, `| ${'backend'.padEnd(14)} | ${kinds.map((k) => pad(k, W)).join(' | ')} |`,
                 `|${'-'.repeat(16)}|${kinds.map(() => '-'.repeat(W + 1) + ':').join('|')}|`];
  for (const b of backends) lines.push(`| ${b.name.padEnd(14)} | ${kinds.map((k) => pad(cellFn(b.name, k), W)).join(' | ')} |`);
  return lines.join('\n');
}
const cell = (field) => (bk, k) => {
  if (na.has(`${bk}|${k}`)) return NA;
  const s = stat(bk, k, field);
  return s ? `${f1(s.med)} [${f1(s.min)}–${f1(s.max)}]` : '—';
};
const ratioCell = (bk, k) => {
  if (bk === 'cpython-3.12') return '1';
  if (na.has(`${bk}|${k}`)) return NA;
  const r = ratio(bk, k);
  return r ? `${f2(r.r)} [${f2(r.min)}–${f2(r.max)}]` : '—';
};

const elapsed = (Date.now() - started) / 1000;
const when = isoNow();
const out = [`## W3 refcount-cascade — ${when}`, '',
             `${machineLine()}; ${opt.rounds} round(s), N = ${opt.n}, seed 0x${opt.seed.toString(16)}, ${elapsed.toFixed(0)} s.`];
const ll = loadLine(loads);
if (ll) out.push(ll);
out.push('', table('ns per node freed by `del head`, rep 1: median [min–max] over rounds', cell('warm')));
out.push('', table('ns per node, rep 0 (cold: fresh memory)', cell('cold')));
out.push('', table('ratio to CPython 3.12 (median/median) [per-round min–max]', ratioCell));
if (failures.length) {
  out.push('', `FAILED jobs (${failures.length}):`);
  for (const f of failures) out.push(`  round ${f.round} ${f.backend} ${f.kind}: ${f.why}`);
}
const text = out.join('\n');
console.log('\n' + text);
mkdirSync(opt.out, { recursive: true });
writeFileSync(join(opt.out, 'w3-raw.txt'), raw.join('\n') + '\n');
writeFileSync(join(opt.out, 'w3-summary.md'), text + '\n');
writeFileSync(join(opt.out, 'w3-summary.json'), JSON.stringify({
  when, machine: machineLine(), rounds: opt.rounds, n: opt.n, seed: '0x' + opt.seed.toString(16), elapsed_s: elapsed,
  na: [...na], failures, results: Object.fromEntries(results) }, null, 1) + '\n');
console.log(`\nrun-w3: wrote ${join(opt.out, 'w3-raw.txt')}, w3-summary.md, w3-summary.json`);
if (failures.length) {
  console.error(`run-w3: ${failures.length} job(s) FAILED`);
  process.exit(1);
}
