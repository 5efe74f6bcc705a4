#!/usr/bin/env node
// run-w1.mjs — runs W1 `pyobj-churn` (workloads.md W1) over every backend
// built by tests/bench/build-w1.sh into build/bench/, and prints medians,
// min–max, net-of-harness figures and the ratios the project tracks.
//
//   node tests/bench/run-w1.mjs [--rounds N] [--quick] [--backends a,b,..]
//                               [--cases hot,10k,100k,1M] [--seed S]
//                               [--bin DIR] [--out DIR] [--add NAME=PATH]
//                               [--wait-idle SEC]
//
// One job = one (backend, case) = one fresh process running rep 0 (cold) and
// rep 1 (warm, the reported figure). Each round runs every job once, in an
// order shuffled per round with a fixed seed (splitmix64), so compared jobs
// sample the same machine noise. Ratios are median/median over the rounds;
// the bracket after a ratio is the min–max of the same ratio taken within
// each round.
//
// Files written to --out (default build/bench/): w1-raw.txt (every W1 line
// of the last run, as printed by the harness), w1-summary.json, w1-summary.md.
// Exit status: 0 if every job passed its verification, 1 otherwise.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitmix, shuffle, cpuTimes, busyCpus, waitIdle, loadLine, machineLine, isoNow, parseLine, median,
         f1, f2, pad } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

// ---- arguments -------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = { rounds: 5, quick: false, backends: null, cases: null, seed: 0x57310001n,
              bin: join(ROOT, 'build', 'bench'), out: null, timeout: 300, add: [], waitIdle: 0 };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
  if (a === '--rounds') opt.rounds = parseInt(val(), 10);
  else if (a === '--quick') opt.quick = true;
  else if (a === '--backends') opt.backends = val().split(',').filter(Boolean);
  else if (a === '--cases') opt.cases = val().split(',').filter(Boolean);
  else if (a === '--seed') opt.seed = BigInt(val());
  else if (a === '--bin') opt.bin = resolve(val());
  else if (a === '--out') opt.out = resolve(val());
  else if (a === '--timeout') opt.timeout = parseInt(val(), 10);
  else if (a === '--add') {
    const v = val(), k = v.indexOf('=');
    if (k <= 0) die('--add wants NAME=PATH');
    opt.add.push({ name: v.slice(0, k), path: resolve(v.slice(k + 1)) });
  } else if (a === '--wait-idle') opt.waitIdle = parseInt(val(), 10);
  else if (a === '-h' || a === '--help') {
    console.log('usage: node tests/bench/run-w1.mjs [--rounds N (5)] [--quick] [--backends a,b] ' +
                '[--cases hot,10k,100k,1M] [--seed S] [--bin DIR] [--out DIR] [--timeout SEC (300)]\n' +
                '       [--add NAME=PATH]...  extra backend: a native executable or an emcc .js, built from\n' +
                '                             w1.c with -DBK_NAME=\'"NAME"\' (e.g. a patched core)\n' +
                '       [--wait-idle SEC]     before each job, wait up to SEC s for other processes to\n' +
                '                             leave the CPUs idle (shared machines)');
    process.exit(0);
  } else die(`unknown argument ${a}`);
}
if (!(opt.rounds >= 1)) die('--rounds must be >= 1');
if (opt.quick) { opt.rounds = argv.includes('--rounds') ? opt.rounds : 1; opt.cases ??= ['hot', '100k']; }
opt.out ??= opt.bin;

function die(msg) { console.error(`run-w1: ${msg}`); process.exit(2); }

// ---- what exists ------------------------------------------------------------
// name, target, file in --bin, role in the tables
const ALL_BACKENDS = [
  { name: 'glibc',           target: 'native', file: 'glibc' },
  { name: 'dlmalloc-native', target: 'native', file: 'dlmalloc-native' },
  { name: 'pymalloc-3.12',   target: 'native', file: 'pymalloc-3.12' },
  { name: 'pyheap-native',   target: 'native', file: 'pyheap-native' },
  { name: 'null',            target: 'native', file: 'null' },
  { name: 'wasm-dlmalloc',   target: 'wasm32', file: 'wasm-dlmalloc.js' },
  { name: 'wasm-emmalloc',   target: 'wasm32', file: 'wasm-emmalloc.js' },
  { name: 'wasm-pyheap',     target: 'wasm32', file: 'wasm-pyheap.js' },
  { name: 'wasm-null',       target: 'wasm32', file: 'wasm-null.js' },
];
const NULL_OF = { native: 'null', wasm32: 'wasm-null' };

// Spec W1.2 verification values (the null backend's churn checksums are its
// own: one block for every live pointer; see w1.c).
const CASES = [
  { key: 'hot',  arg: 'hot',     steps: 4000000, pairs: 4000000, max_live: 1,
    checksum: 'f1ac7d3330b67868', null_checksum: 'f1ac7d3330b67868' },
  { key: '10k',  arg: '10000',   steps: 7993634, pairs: 3996817, max_live: 10005,
    checksum: '3b914d64a03b50d0', null_checksum: '4cba40acf473e398' },
  { key: '100k', arg: '100000',  steps: 7993898, pairs: 3996949, max_live: 100002,
    checksum: '21cc692e84b95068', null_checksum: '5a68cfacb736cba0' },
  { key: '1M',   arg: '1000000', steps: 7993956, pairs: 3996978, max_live: 1000002,
    checksum: '604ab1bffc9862c8', null_checksum: '85ad9e329b26c170' },
];

const caseKeyOf = (s) => ({ '10000': '10k', '100000': '100k', '1000000': '1M', '1m': '1M' }[s] ?? s);
const cases = opt.cases
  ? opt.cases.map(caseKeyOf).map((k) => CASES.find((c) => c.key === k) ?? die(`unknown case ${k}`))
  : CASES;

const backends = [];
for (const b of ALL_BACKENDS) {
  if (opt.backends && !opt.backends.includes(b.name)) continue;
  const path = join(opt.bin, b.file);
  if (!existsSync(path)) {
    console.log(`run-w1: ${b.name}: ${path} not built — skipped`);
    continue;
  }
  backends.push({ ...b, path });
}
for (const x of opt.add) {
  if (!existsSync(x.path)) die(`--add ${x.name}: ${x.path} does not exist`);
  const target = x.path.endsWith('.js') || x.path.endsWith('.cjs') ? 'wasm32' : 'native';
  backends.push({ name: x.name, target, file: x.path, path: x.path, extra: true });
}
if (opt.backends) for (const n of opt.backends)
  if (!ALL_BACKENDS.some((b) => b.name === n)) die(`unknown backend ${n}`);
if (!backends.length) die(`no backend binaries in ${opt.bin} (run tests/bench/build-w1.sh)`);

// ---- one job ------------------------------------------------------------------
function runJob(b, c) {
  const cmd = b.target === 'wasm32' ? process.execPath : b.path;
  const args = b.target === 'wasm32' ? ['--no-experimental-fetch', b.path, c.arg] : [c.arg];
  const c0 = cpuTimes();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: dirname(b.path), encoding: 'utf8', timeout: opt.timeout * 1000,
                                   maxBuffer: 1 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const others = Math.max(0, busyCpus(c0, cpuTimes()) - 1);
  const lines = (r.stdout || '').split('\n').filter((l) => l.startsWith('W1 '));
  const fail = (why) => ({ ok: false, why, wall, lines,
                           stderr: (r.stderr || '').trim(), stdout: (r.stdout || '').trim() });
  if (r.error) return fail(`spawn error: ${r.error.message}`);
  if (r.status !== 0) return fail(`exit status ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`);
  const reps = lines.map(parseLine);
  const rep0 = reps.find((x) => x.rep === '0'), rep1 = reps.find((x) => x.rep === '1');
  if (!rep0 || !rep1) return fail('missing rep 0 / rep 1 line');
  const want = b.name === NULL_OF[b.target] ? c.null_checksum : c.checksum;
  for (const x of [rep0, rep1]) {
    if (x.backend !== b.name) return fail(`line says backend=${x.backend}`);
    if (x.target !== b.target) return fail(`line says target=${x.target}`);
    if (+x.steps !== c.steps || +x.pairs !== c.pairs || +x.max_live !== c.max_live || x.checksum !== want)
      return fail(`verification mismatch: steps=${x.steps} pairs=${x.pairs} max_live=${x.max_live} ` +
                  `checksum=${x.checksum}; spec: ${c.steps} ${c.pairs} ${c.max_live} ${want}`);
  }
  return { ok: true, wall, lines, others,
           cold: +rep0.ns_per_pair, warm: +rep1.ns_per_pair, peak_kib: +rep1.peak_kib };
}

// ---- the rounds ---------------------------------------------------------------
const jobs = [];
for (const b of backends) for (const c of cases) jobs.push({ b, c });
const results = new Map();            // `${backend}|${case}` -> [{round, cold, warm, peak_kib}]
const failures = [];
const raw = [];
const loads = [];                     // CPUs used by other processes during each job
const next = splitmix(opt.seed);
const started = Date.now();

console.log(`W1 pyobj-churn: ${backends.length} backends × ${cases.length} cases × ${opt.rounds} rounds ` +
            `= ${jobs.length * opt.rounds} processes (${backends.map((b) => b.name).join(', ')})`);
for (let round = 1; round <= opt.rounds; round++) {
  const order = shuffle(jobs.slice(), next);
  for (let k = 0; k < order.length; k++) {
    const { b, c } = order[k];
    if (opt.waitIdle > 0) waitIdle(opt.waitIdle);
    const res = runJob(b, c);
    const tag = `[round ${round}/${opt.rounds} job ${String(k + 1).padStart(2)}/${order.length}]`;
    raw.push(...res.lines);
    if (!res.ok) {
      failures.push({ round, backend: b.name, case: c.key, why: res.why, stderr: res.stderr });
      console.log(`${tag} ${b.name.padEnd(15)} ${c.key.padEnd(4)} FAILED: ${res.why}`);
      if (res.stderr) console.log(res.stderr.split('\n').map((l) => `      | ${l}`).join('\n'));
      continue;
    }
    const key = `${b.name}|${c.key}`;
    if (!results.has(key)) results.set(key, []);
    results.get(key).push({ round, cold: res.cold, warm: res.warm, peak_kib: res.peak_kib,
                            others: +res.others.toFixed(2) });
    loads.push(res.others);
    console.log(`${tag} ${b.name.padEnd(15)} ${c.key.padEnd(4)} ${res.warm.toFixed(1).padStart(7)} ns/pair ` +
                `(cold ${res.cold.toFixed(1)})  ${res.wall.toFixed(2)} s` +
                (Number.isNaN(res.others) ? '' : `  others ${res.others.toFixed(1)} CPU`));
  }
  const el = (Date.now() - started) / 1000;
  const eta = el / round * (opt.rounds - round);
  console.log(`-- round ${round}/${opt.rounds} done, ${el.toFixed(0)} s elapsed` +
              (round < opt.rounds ? `, about ${eta.toFixed(0)} s to go` : ''));
}

// ---- statistics -----------------------------------------------------------------
const stat = (bk, ck, field = 'warm') => {
  const rs = results.get(`${bk}|${ck}`);
  if (!rs || !rs.length) return null;
  const xs = rs.map((r) => r[field]);
  return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
};
const byRound = (bk, ck) => new Map((results.get(`${bk}|${ck}`) ?? []).map((r) => [r.round, r.warm]));

// net = backend − null of the same target (medians); per round for the spread
const netStat = (bk, ck) => {
  const b = backends.find((x) => x.name === bk);
  if (!b) return null;
  const nb = NULL_OF[b.target];
  const s = stat(bk, ck), n = stat(nb, ck);
  if (!s || !n || bk === nb) return null;
  return { med: s.med - n.med };
};
function ratio(num, den, ck, net = false) {
  const a = net ? netStat(num, ck) : stat(num, ck);
  const d = net ? netStat(den, ck) : stat(den, ck);
  if (!a || !d || !(d.med > 0)) return null;
  // per-round spread of the same ratio
  const ra = byRound(num, ck), rd = byRound(den, ck);
  let rn = null, rdn = null;
  if (net) {
    const nbA = NULL_OF[backends.find((x) => x.name === num).target];
    const nbD = NULL_OF[backends.find((x) => x.name === den).target];
    rn = byRound(nbA, ck); rdn = byRound(nbD, ck);
  }
  const per = [];
  for (const [round, va] of ra) {
    if (!rd.has(round)) continue;
    let x = va, y = rd.get(round);
    if (net) { if (!rn.has(round) || !rdn.has(round)) continue; x -= rn.get(round); y -= rdn.get(round); }
    if (y > 0) per.push(x / y);
  }
  return { r: a.med / d.med, min: per.length ? Math.min(...per) : NaN, max: per.length ? Math.max(...per) : NaN };
}


function table(title, cellFn, width) {
  const lines = [];
  if (!backends.some((b) => cases.some((c) => cellFn(b.name, c.key) != null))) return '(no figures: ' + title + ')';
  lines.push(title);
  lines.push(`| ${'backend'.padEnd(16)} | ${cases.map((c) => pad(c.key, width)).join(' | ')} |`);
  lines.push(`|${'-'.repeat(18)}|${cases.map(() => '-'.repeat(width + 1) + ':').join('|')}|`);
  for (const b of backends) {
    const cells = cases.map((c) => pad(cellFn(b.name, c.key) ?? '—', width));
    if (cells.every((x) => x.trim() === '—')) continue;
    lines.push(`| ${b.name.padEnd(16)} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const RATIOS = [
  ['wasm-pyheap', 'wasm-dlmalloc', 'pyheap-wasm / wasm-dlmalloc  (target ≤ 0.6 at 100k, 1M)'],
  ['wasm-pyheap', 'wasm-emmalloc', 'pyheap-wasm / wasm-emmalloc'],
  ['pyheap-native', 'glibc', 'pyheap-native / glibc'],
  ['pyheap-native', 'pymalloc-3.12', 'pyheap-native / pymalloc-3.12'],
  ['wasm-pyheap', 'pyheap-native', 'pyheap wasm / native'],
  ['wasm-dlmalloc', 'dlmalloc-native', 'dlmalloc wasm / native (cost of wasm, one source)'],
  ['pymalloc-3.12', 'wasm-dlmalloc', 'pymalloc-3.12 native / wasm-dlmalloc (anchor ≈ 0.65)'],
];
function ratioTable(net) {
  const w = 19;
  const lines = [];
  lines.push(`| ${'ratio (median/median) [per-round min–max]'.padEnd(56)} | ${cases.map((c) => pad(c.key, w)).join(' | ')} |`);
  lines.push(`|${'-'.repeat(58)}|${cases.map(() => '-'.repeat(w + 1) + ':').join('|')}|`);
  for (const [a, d, label] of RATIOS) {
    const cells = cases.map((c) => {
      const r = ratio(a, d, c.key, net);
      return pad(r ? `${f2(r.r)} [${f2(r.min)}–${f2(r.max)}]` : '—', w);
    });
    if (cells.every((x) => x.trim() === '—')) continue;
    lines.push(`| ${label.padEnd(56)} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const cell = (bk, ck, field) => { const s = stat(bk, ck, field); return s ? `${f1(s.med)} [${f1(s.min)}–${f1(s.max)}]` : null; };
const elapsed = (Date.now() - started) / 1000;
const when = isoNow();
const machine = machineLine();

const out = [];
out.push(`## W1 pyobj-churn — ${when}`);
out.push('');
out.push(`${machine}; ${opt.rounds} round(s), seed 0x${opt.seed.toString(16)}, ${elapsed.toFixed(0)} s.`);
const ll = loadLine(loads);
if (ll) out.push(ll);
out.push('');
out.push(table('ns per malloc+free pair, rep 1 (warm): median [min–max]', (b, c) => cell(b, c, 'warm'), 19));
out.push('');
out.push(table('ns per pair, rep 0 (cold: fresh memory, page faults / memory.grow): median [min–max]',
               (b, c) => cell(b, c, 'cold'), 19));
out.push('');
out.push(table('net of harness (rep 1 median − null median of the same target), ns per pair',
               (b, c) => { const n = netStat(b, c); return n ? f1(n.med) : null; }, 8));
out.push('');
out.push(table('peak footprint, KiB (native ru_maxrss; wasm linear memory size), median',
               (b, c) => { const s = stat(b, c, 'peak_kib'); return s ? String(Math.round(s.med)) : null; }, 8));
out.push('');
out.push('Ratios, gross:');
out.push(ratioTable(false));
out.push('');
out.push('Ratios, net of harness:');
out.push(ratioTable(true));
out.push('');
const tgt = ['100k', '1M'].map((k) => ({ k, r: ratio('wasm-pyheap', 'wasm-dlmalloc', k) }));
const tgtStr = tgt.map((x) => `${x.k}: ${x.r ? f2(x.r.r) : 'no figure'}`).join(', ');
if (tgt.some((x) => x.r)) {
  const verdict = tgt.some((x) => x.r && x.r.r > 0.6) ? 'NOT MET'
                : tgt.every((x) => x.r) ? 'MET' : 'UNDETERMINED (a case is missing)';
  out.push(`Target pyheap-wasm / wasm-dlmalloc ≤ 0.6 at 100k and 1M: ${verdict} (${tgtStr})`);
  // On a shared machine the minimum over rounds is the least disturbed sample.
  const mins = ['100k', '1M'].map((k) => {
    const a = stat('wasm-pyheap', k), d = stat('wasm-dlmalloc', k);
    return `${k}: ${a && d ? f2(a.min / d.min) : 'no figure'}`;
  });
  out.push(`  same ratio from the minima over rounds (least disturbed samples): ${mins.join(', ')}`);
}
if (failures.length) {
  out.push('');
  out.push(`FAILED jobs (${failures.length}):`);
  for (const f of failures) out.push(`  round ${f.round} ${f.backend} ${f.case}: ${f.why}`);
}
const text = out.join('\n');
console.log('\n' + text);

mkdirSync(opt.out, { recursive: true });
writeFileSync(join(opt.out, 'w1-raw.txt'), raw.join('\n') + '\n');
writeFileSync(join(opt.out, 'w1-summary.md'), text + '\n');
const summary = { when, machine, rounds: opt.rounds, seed: '0x' + opt.seed.toString(16), elapsed_s: elapsed, failures,
                  results: Object.fromEntries([...results].map(([k, v]) => [k, v])) };
writeFileSync(join(opt.out, 'w1-summary.json'), JSON.stringify(summary, null, 1) + '\n');
console.log(`\nrun-w1: wrote ${join(opt.out, 'w1-raw.txt')}, w1-summary.md, w1-summary.json`);
if (failures.length) {
  console.error(`run-w1: ${failures.length} job(s) FAILED`);
  process.exit(1);
}
