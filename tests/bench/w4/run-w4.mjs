#!/usr/bin/env node
// run-w4.mjs — W4 `alloc-visible-rate` (shared/reference/workloads.md W4) and
// the seed article's `list(gen())` over range(1000000), under `pyheap run`
// (node web/cli.js run) and under python3.12, in one run: per-job ns, the
// spec's W4 lines and the ratio pyheap / CPython (the issue's target: ≤ 10×).
//
//   node tests/bench/w4/run-w4.mjs [--rounds N] [--quick] [--jobs loop,list0,...]
//                                  [--backends cpython-3.12,pyheap] [--n N] [--seed S]
//                                  [--out DIR] [--timeout SEC] [--wait-idle SEC]
//                                  [--add NAME=DIR ...]
//
// --add NAME=DIR adds a pyheap backend NAME that runs DIR/web/cli.js (another
// checkout, e.g. a `git archive` of an older commit with its web/gen built):
// before and after in the same rounds, interleaved, under the same load.
//
// Jobs: the six W4 variants (loop, list0, list2, tuple2, slots, inst) and
// seed_gen (`list(gen())`). One job = one (backend, job) = one fresh process
// running w4.py with JOB and N filled in (pyheap run has no sys.argv): the
// job's module-level function is called once untimed (cold_ns) and once
// timed (ns) between two time.perf_counter_ns() reads. Every round runs
// every job once, in an order shuffled with a fixed seed (workloads.md §0).
//
// Files written to --out (default build/bench/w4/): the job scripts,
// w4-raw.txt (every W4 / SEED line), w4-summary.md, w4-summary.json.
// Exit status 0 if every job ran and verified, 1 otherwise.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitmix, shuffle, cpuTimes, busyCpus, waitIdle, loadLine, machineLine, isoNow, parseLine,
         f1, f2, pad, findPython, roundStat, roundRatio } from '../lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');

// ---- arguments -------------------------------------------------------------
const VARIANTS = ['loop', 'list0', 'list2', 'tuple2', 'slots', 'inst'];
const JOBS = [...VARIANTS, 'seed_gen'];
const BACKENDS = ['cpython-3.12', 'pyheap'];
const argv = process.argv.slice(2);
const opt = { rounds: 5, quick: false, jobs: null, backends: null, n: 1000000, seed: 0x57340004n,
              out: join(ROOT, 'build', 'bench', 'w4'), timeout: 600, waitIdle: 0 };
function die(msg) { console.error(`run-w4: ${msg}`); process.exit(2); }
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
  if (a === '--rounds') opt.rounds = parseInt(val(), 10);
  else if (a === '--quick') opt.quick = true;
  else if (a === '--jobs') opt.jobs = val().split(',').filter(Boolean);
  else if (a === '--backends') opt.backends = val().split(',').filter(Boolean);
  else if (a === '--n') opt.n = parseInt(val(), 10);
  else if (a === '--seed') opt.seed = BigInt(val());
  else if (a === '--out') opt.out = resolve(val());
  else if (a === '--bin') val();   // the other runners' option (./build.sh bench passes ARGS to all): nothing to find here
  else if (a === '--timeout') opt.timeout = parseInt(val(), 10);
  else if (a === '--wait-idle') opt.waitIdle = parseInt(val(), 10);
  else if (a === '--add') {
    const m = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(val());
    if (!m || BACKENDS.includes(m[1])) die('--add needs NAME=DIR (NAME not cpython-3.12 or pyheap)');
    (opt.add ??= []).push({ name: m[1], dir: resolve(m[2]) });
  }
  else if (a === '-h' || a === '--help') {
    console.log('usage: node tests/bench/w4/run-w4.mjs [--rounds N (5)] [--quick (1 round)]\n' +
                `       [--jobs ${JOBS.join(',')}] [--backends ${BACKENDS.join(',')}]\n` +
                '       [--n N (1000000, the spec\'s)] [--seed S] [--out DIR] [--timeout SEC (600)] [--wait-idle SEC]\n' +
                '       [--add NAME=DIR (another checkout\'s web/cli.js as backend NAME)]');
    process.exit(0);
  } else die(`unknown argument ${a}`);
}
if (!(opt.rounds >= 1)) die('--rounds must be >= 1');
if (!(opt.n >= 1)) die('--n must be >= 1');
if (opt.quick && !argv.includes('--rounds')) opt.rounds = 1;
const jobNames = opt.jobs ?? JOBS;
for (const j of jobNames) if (!JOBS.includes(j)) die(`unknown job ${j}`);
const wanted = opt.backends ?? BACKENDS;
for (const b of wanted) if (!BACKENDS.includes(b)) die(`unknown backend ${b}`);

// ---- backends and job scripts ------------------------------------------------
const backends = [];
for (const name of wanted) {
  if (name === 'cpython-3.12') {
    const py = findPython();
    if (!py) { console.log(`run-w4: ${name}: PYENV_VERSION=${process.env.PYENV_VERSION || '3.12.1'} python3.12 not found — skipped`); continue; }
    backends.push({ name, cmd: py.cmd, pre: [], env: py.env, py: py.version });
  } else {
    backends.push({ name, cmd: process.execPath, pre: [join(ROOT, 'web', 'cli.js'), 'run'], env: process.env, py: 'pyheap-3.12' });
  }
}
for (const { name, dir } of opt.add ?? []) {
  const cli = join(dir, 'web', 'cli.js');
  if (!existsSync(cli)) die(`--add ${name}: no ${cli}`);
  backends.push({ name, cmd: process.execPath, pre: [cli, 'run'], env: process.env, py: `pyheap-3.12(${name})` });
}
if (!backends.length) die('nothing to run');
mkdirSync(opt.out, { recursive: true });
const template = readFileSync(join(HERE, 'w4.py'), 'utf8');
const script = new Map();
for (const j of jobNames) {
  const path = join(opt.out, `w4_${j}.py`);
  writeFileSync(path, template.replace('"@JOB@"', JSON.stringify(j)).replace('@N@', String(opt.n)));
  script.set(j, path);
}

// ---- one job ------------------------------------------------------------------
function runJob(b, job) {
  const c0 = cpuTimes();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(b.cmd, [...b.pre, script.get(job)], { cwd: opt.out, env: b.env, encoding: 'utf8',
                                                          timeout: opt.timeout * 1000, maxBuffer: 1 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const others = Math.max(0, busyCpus(c0, cpuTimes()) - 1);
  const fail = (why) => ({ ok: false, why, wall, stderr: (r.stderr || '').trim() });
  if (r.error) return fail(`spawn error: ${r.error.message}`);
  if (r.status !== 0) return fail(`exit status ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`);
  const lines = (r.stdout || '').split('\n').filter((l) => l.startsWith(`${job} `));
  if (lines.length !== 1) return fail(`expected one "${job} ..." line, got ${lines.length}`);
  const x = parseLine(lines[0]);
  const ns = Number(x.ns), cold = Number(x.cold_ns);
  if (!(ns > 0) || !(cold > 0)) return fail(`no timing in "${lines[0]}"`);
  const expect = job === 'seed_gen' ? String(opt.n) : 'None';
  if (x.result !== expect) return fail(`result=${x.result}, expected ${expect}`);
  const line = job === 'seed_gen'
    ? `SEED py=${b.py} case=list_gen N=${opt.n} cold_ns=${cold} ns=${ns} ns_per_obj=${f2(ns / opt.n)}`
    : `W4 py=${b.py} variant=${job} N=${opt.n} cold_ns=${cold} ns=${ns} ns_per_obj=${f2(ns / opt.n)}`;
  return { ok: true, line, wall, others, warm: ns / opt.n, cold: cold / opt.n };
}

// ---- rounds -------------------------------------------------------------------
const jobs = [];
for (const b of backends) for (const j of jobNames) jobs.push({ b, j });
const results = new Map();             // `${backend}|${job}` -> [{ round, warm, cold, others }]
const failures = [], raw = [], loads = [];
const next = splitmix(opt.seed);
const started = Date.now();
console.log(`W4 alloc-visible-rate + seed list(gen()): ${backends.length} backends × ${jobNames.length} jobs × ` +
            `${opt.rounds} rounds, N = ${opt.n} (${backends.map((b) => b.name).join(', ')})`);
for (let round = 1; round <= opt.rounds; round++) {
  const order = shuffle(jobs.slice(), next);
  for (let k = 0; k < order.length; k++) {
    const { b, j } = order[k];
    if (opt.waitIdle > 0) waitIdle(opt.waitIdle);
    const res = runJob(b, j);
    const tag = `[round ${round}/${opt.rounds} job ${String(k + 1).padStart(2)}/${order.length}]`;
    if (!res.ok) {
      failures.push({ round, backend: b.name, job: j, why: res.why, stderr: res.stderr });
      console.log(`${tag} ${b.name.padEnd(12)} ${j.padEnd(8)} FAILED: ${res.why}`);
      if (res.stderr) console.log(res.stderr.split('\n').slice(-15).map((l) => `      | ${l}`).join('\n'));
      continue;
    }
    raw.push(res.line);
    const key = `${b.name}|${j}`;
    if (!results.has(key)) results.set(key, []);
    results.get(key).push({ round, warm: res.warm, cold: res.cold, others: +res.others.toFixed(2) });
    loads.push(res.others);
    console.log(`${tag} ${res.line}  (${res.wall.toFixed(1)} s` +
                (Number.isNaN(res.others) ? ')' : `, others ${res.others.toFixed(1)} CPU)`));
  }
}

// ---- summary --------------------------------------------------------------------
const stat = (bk, j, field = 'warm') => roundStat(results.get(`${bk}|${j}`), field);
const ratio = (num, j) => roundRatio(results.get(`${num}|${j}`), results.get(`cpython-3.12|${j}`));
const W = 22;
function table(title, rows, cellFn) {
  const lines = [title, `| ${'backend'.padEnd(12)} | ${jobNames.map((j) => pad(j, W)).join(' | ')} |`,
                 `|${'-'.repeat(14)}|${jobNames.map(() => '-'.repeat(W + 1) + ':').join('|')}|`];
  for (const name of rows) lines.push(`| ${name.padEnd(12)} | ${jobNames.map((j) => pad(cellFn(name, j), W)).join(' | ')} |`);
  return lines.join('\n');
}
const names = backends.map((b) => b.name);
const cell = (field) => (bk, j) => {
  const s = stat(bk, j, field);
  return s ? `${f1(s.med)} [${f1(s.min)}–${f1(s.max)}]` : '—';
};
const netCell = (bk, j) => {
  const s = stat(bk, j), l = stat(bk, 'loop');
  return s && l && VARIANTS.includes(j) ? f1(s.med - l.med) : '—';
};
const ratioCell = (bk, j) => {
  const r = ratio(bk, j);
  return r ? `${f2(r.r)} [${f2(r.min)}–${f2(r.max)}]` : '—';
};

const elapsed = (Date.now() - started) / 1000;
const when = isoNow();
const out = [`## W4 alloc-visible-rate + seed list(gen()) — ${when}`, '',
             `${machineLine()}; ${opt.rounds} round(s), N = ${opt.n}, seed 0x${opt.seed.toString(16)}, ${elapsed.toFixed(0)} s.`];
const ll = loadLine(loads);
if (ll) out.push(ll);
out.push('', table('ns per object (timed call): median [min–max] over rounds', names, cell('warm')));
out.push('', table('ns per object, warm-up call (cold)', names, cell('cold')));
out.push('', table('net of loop (variant median − loop median), ns per object', names, netCell));
if (names.includes('cpython-3.12') && names.length > 1) {
  const others = names.filter((n) => n !== 'cpython-3.12');
  out.push('', table('ratio to CPython 3.12 (median/median) [per-round min–max]; target ≤ 10', others, ratioCell));
  const added = new Set((opt.add ?? []).map((a) => a.name));   // a reference, not the tree under test
  const worst = Math.max(...others.filter((n) => !added.has(n)).flatMap((n) => jobNames.map((j) => ratio(n, j)?.r ?? NaN)).filter((x) => !Number.isNaN(x)));
  if (Number.isFinite(worst)) out.push('', `Worst ratio: ${f2(worst)}× (target ≤ 10×: ${worst <= 10 ? 'met' : 'NOT met'}).`);
}
if (failures.length) {
  out.push('', `FAILED jobs (${failures.length}):`);
  for (const f of failures) out.push(`  round ${f.round} ${f.backend} ${f.job}: ${f.why}`);
}
const text = out.join('\n');
console.log('\n' + text);
writeFileSync(join(opt.out, 'w4-raw.txt'), raw.join('\n') + '\n');
writeFileSync(join(opt.out, 'w4-summary.md'), text + '\n');
writeFileSync(join(opt.out, 'w4-summary.json'), JSON.stringify({
  when, machine: machineLine(), rounds: opt.rounds, n: opt.n, seed: '0x' + opt.seed.toString(16), elapsed_s: elapsed,
  failures, results: Object.fromEntries(results) }, null, 1) + '\n');
console.log(`\nrun-w4: wrote ${join(opt.out, 'w4-raw.txt')}, w4-summary.md, w4-summary.json`);
if (failures.length) {
  console.error(`run-w4: ${failures.length} job(s) FAILED`);
  process.exit(1);
}
