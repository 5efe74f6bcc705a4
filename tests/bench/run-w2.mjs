#!/usr/bin/env node
// run-w2.mjs — runs W2 `gc-full` (workloads.md W2): one full collection over
// a graph of N containers (shapes a–d, N = 10k, 100k, 1M), containers `slots`
// and `list`, on CPython 3.12 (tests/bench/w2.py), pyheap-native and
// pyheap-wasm (tests/bench/w2.c, built by build-w2.sh into build/bench/).
//
//   node tests/bench/run-w2.mjs [--rounds N] [--quick] [--containers slots,list]
//                               [--shapes a,b,c,d] [--ns 10k,100k,1M] [--backends a,b]
//                               [--seed S] [--bin DIR] [--out DIR] [--timeout SEC] [--wait-idle SEC]
//                               [--add NAME=PATH]...
//
// --add NAME=PATH adds a backend: a native executable or an emcc .js built
// from w2.c (build-w2.sh --as NAME builds both from the current tree), so a
// patched core runs interleaved with the stock one, e.g. before/after:
//   git stash; bash tests/bench/build-w2.sh --as before; git stash pop
//   bash tests/bench/build-w2.sh
//   node tests/bench/run-w2.mjs --add before-wasm=build/bench/w2-before-wasm.js \
//        --add before-native=build/bench/w2-before-native
//
// Before any timing the runner writes the W2G1 files of all 12 (shape, N)
// combinations into <bin>/w2-graphs/ (w2graph.mjs) and checks E and the md5
// of each against the spec's table; it prints the check and stops on a
// mismatch. Every harness reads those files, so all three build the same graphs.
//
// pyheap-wasm runs as `node --no-experimental-fetch --no-liftoff w2-pyheap-wasm.js`:
// --no-liftoff has V8 compile the module with its optimising tier up front,
// as native code is compiled ahead of time. With the default (baseline tier
// first, hot functions re-compiled in the background later) the timed
// collection, which runs most of the collector's code for the first time
// on a big graph, measured V8's compilers: 10k graphs took 5-20x their
// second collection, varying run to run. w2.c also warms up (untimed).
//
// One job = one (backend, container, shape, N) = one fresh process: untimed
// build, timed gc.collect(), check of the count (n == N - M), second
// collection. Every round runs every job once in an order shuffled with a
// fixed seed (lib.mjs), as run-w1.mjs and run-w3.mjs do.
//
// Files written to --out (default build/bench/): w2-raw.txt, w2-summary.md,
// w2-summary.json. Exit status 0 if every job passed, 1 otherwise.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitmix, shuffle, cpuTimes, busyCpus, waitIdle, loadLine, machineLine, isoNow, parseLine, median,
         f1, f2, pad, pickBackends } from './lib.mjs';
import { SHAPES, NS, writeAndVerify, graphFile } from './w2graph.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

// ---- arguments -------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = { rounds: 7, quick: false, containers: null, shapes: null, ns: null, backends: null, seed: 0x57320002n,
              bin: join(ROOT, 'build', 'bench'), out: null, timeout: 600, waitIdle: 0, add: [] };
function die(msg) { console.error(`run-w2: ${msg}`); process.exit(2); }
const parseN = (s) => { const m = /^(\d+)([kM]?)$/.exec(s); if (!m) die(`bad N ${s}`); return +m[1] * (m[2] === 'k' ? 1e3 : m[2] === 'M' ? 1e6 : 1); };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
  const list = () => val().split(',').filter(Boolean);
  if (a === '--rounds') opt.rounds = parseInt(val(), 10);
  else if (a === '--quick') opt.quick = true;
  else if (a === '--containers') opt.containers = list();
  else if (a === '--shapes') opt.shapes = list();
  else if (a === '--ns') opt.ns = list().map(parseN);
  else if (a === '--backends') opt.backends = list();
  else if (a === '--seed') opt.seed = BigInt(val());
  else if (a === '--bin') opt.bin = resolve(val());
  else if (a === '--out') opt.out = resolve(val());
  else if (a === '--timeout') opt.timeout = parseInt(val(), 10);
  else if (a === '--wait-idle') opt.waitIdle = parseInt(val(), 10);
  else if (a === '--add') {
    const v = val(), k = v.indexOf('=');
    if (k <= 0) die('--add wants NAME=PATH');
    opt.add.push({ name: v.slice(0, k), path: resolve(v.slice(k + 1)) });
  }
  else if (a === '-h' || a === '--help') {
    console.log('usage: node tests/bench/run-w2.mjs [--rounds N (7, the spec default)] [--quick (1 round, 10k+100k)]\n' +
                '       [--containers slots,list] [--shapes a,b,c,d] [--ns 10k,100k,1M]\n' +
                '       [--backends cpython-3.12,pyheap-native,pyheap-wasm] [--seed S] [--bin DIR] [--out DIR]\n' +
                '       [--timeout SEC (600)] [--wait-idle SEC]\n' +
                '       [--add NAME=PATH]...  extra backend: a native executable or an emcc .js built from w2.c\n' +
                '                             (build-w2.sh --as NAME), run interleaved with the others');
    process.exit(0);
  } else die(`unknown argument ${a}`);
}
if (!(opt.rounds >= 1)) die('--rounds must be >= 1');
if (opt.quick) {
  if (!argv.includes('--rounds')) opt.rounds = 1;
  opt.ns ??= [10000, 100000];
}
opt.out ??= opt.bin;
const CONTAINERS = ['slots', 'list'];
const containers = opt.containers ?? CONTAINERS;
const shapes = opt.shapes ?? SHAPES;
const ns = opt.ns ?? NS;
for (const c of containers) if (!CONTAINERS.includes(c)) die(`unknown container ${c}`);
for (const s of shapes) if (!SHAPES.includes(s)) die(`unknown shape ${s}`);
for (const n of ns) if (!NS.includes(n)) die(`N must be one of ${NS.join(', ')}`);

// ---- graphs: write and verify all 12 before any timing ------------------------------
const gdir = join(opt.bin, 'w2-graphs');
console.log(`W2 graphs -> ${gdir} (E and md5 against workloads.md W2.1):`);
const graphs = writeAndVerify(gdir);
const gmeta = new Map();
for (const g of graphs) {
  console.log(`  shape ${g.shape} N=${String(g.n).padStart(7)} M=${String(g.m).padStart(7)} E=${String(g.e).padStart(7)} ` +
              `md5 ${g.md5}  ${g.ok ? 'ok' : `MISMATCH (spec: E=${g.expected?.[0]} md5 ${g.expected?.[1]})`}`);
  gmeta.set(`${g.shape}|${g.n}`, g);
}
if (graphs.some((g) => !g.ok)) die('graph verification failed: nothing timed');

// ---- backends -----------------------------------------------------------------
const backends = pickBackends({ w: 'w2', wanted: opt.backends, bin: opt.bin, pyArgs: ['-I', join(HERE, 'w2.py')],
  nodeArgs: ['--no-experimental-fetch', '--no-liftoff'], die });
for (const x of opt.add) {
  if (!existsSync(x.path)) die(`--add ${x.name}: ${x.path} does not exist`);
  if (backends.some((b) => b.name === x.name)) die(`--add ${x.name}: name already in use`);
  const wasm = /\.c?js$/.test(x.path);
  backends.push({ name: x.name, extra: true, wasm, cmd: wasm ? process.execPath : x.path,
                  pre: wasm ? ['--no-experimental-fetch', '--no-liftoff', x.path] : [], env: process.env });
}

// ---- one job ------------------------------------------------------------------
function runJob(b, container, shape, n) {
  const g = gmeta.get(`${shape}|${n}`);
  const c0 = cpuTimes();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(b.cmd, [...b.pre, container, graphFile(gdir, shape, n)],
                      { cwd: opt.bin, env: b.env, encoding: 'utf8', timeout: opt.timeout * 1000, maxBuffer: 1 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const others = Math.max(0, busyCpus(c0, cpuTimes()) - 1);
  const lines = (r.stdout || '').split('\n').filter((l) => l.startsWith('W2 '));
  const fail = (why) => ({ ok: false, why, wall, lines, stderr: (r.stderr || '').trim() });
  if (r.error) return fail(`spawn error: ${r.error.message}`);
  if (lines.length !== 1) return fail(`expected one W2 line, got ${lines.length} (exit status ${r.status})`);
  const x = parseLine(lines[0]);
  if (x.container !== container || x.shape !== shape || +x.N !== n || +x.M !== g.m || +x.E !== g.e)
    return fail(`line says container=${x.container} shape=${x.shape} N=${x.N} M=${x.M} E=${x.E}`);
  if (+x.unreachable !== n - g.m || x.ok !== '1') return fail(`gc.collect() returned ${x.unreachable}, expected N - M = ${n - g.m}`);
  if (+x.recollected !== 0) return fail(`the second collection returned ${x.recollected}`);
  if (r.status !== 0) return fail(`exit status ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`);
  if (!(+x.collect_ns > 0)) return fail('no timing');
  return { ok: true, lines, wall, others, ns: +x.collect_ns / n, re: +x.recollect_ns / n };
}

// ---- rounds -------------------------------------------------------------------
const jobs = [];
for (const b of backends) for (const c of containers) for (const s of shapes) for (const n of ns) jobs.push({ b, c, s, n });
const key = (bk, c, s, n) => `${bk}|${c}|${s}|${n}`;
const results = new Map();
const failures = [], raw = [], loads = [];
const next = splitmix(opt.seed);
const started = Date.now();
console.log(`\nW2 gc-full: ${jobs.length} jobs × ${opt.rounds} rounds (${backends.map((b) => b.name).join(', ')}; ` +
            `${containers.join(', ')}; shapes ${shapes.join('')}; N ${ns.join(', ')})`);
for (let round = 1; round <= opt.rounds; round++) {
  const order = shuffle(jobs.slice(), next);
  for (let j = 0; j < order.length; j++) {
    const { b, c, s, n } = order[j];
    if (opt.waitIdle > 0) waitIdle(opt.waitIdle);
    const res = runJob(b, c, s, n);
    const tag = `[round ${round}/${opt.rounds} job ${String(j + 1).padStart(3)}/${order.length}]`;
    const what = `${b.name.padEnd(13)} ${c.padEnd(5)} ${s} ${String(n).padStart(7)}`;
    raw.push(...res.lines);
    if (!res.ok) {
      failures.push({ round, backend: b.name, container: c, shape: s, n, why: res.why, stderr: res.stderr });
      console.log(`${tag} ${what} FAILED: ${res.why}`);
      if (res.stderr) console.log(res.stderr.split('\n').slice(0, 20).map((l) => `      | ${l}`).join('\n'));
      continue;
    }
    const k = key(b.name, c, s, n);
    if (!results.has(k)) results.set(k, []);
    results.get(k).push({ round, ns: res.ns, re: res.re, others: +res.others.toFixed(2) });
    loads.push(res.others);
    console.log(`${tag} ${what} ${res.ns.toFixed(1).padStart(7)} ns/obj (again ${res.re.toFixed(1)})  ` +
                `${res.wall.toFixed(2)} s` + (Number.isNaN(res.others) ? '' : `  others ${res.others.toFixed(1)} CPU`));
  }
}

// ---- summary --------------------------------------------------------------------
const stat = (k, field = 'ns') => {
  const rs = results.get(k);
  if (!rs || !rs.length) return null;
  const xs = rs.map((r) => r[field]);
  return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
function ratio(bk, c, s, n) {
  const a = stat(key(bk, c, s, n)), d = stat(key('cpython-3.12', c, s, n));
  if (!a || !d || !(d.med > 0)) return null;
  const rd = new Map((results.get(key('cpython-3.12', c, s, n)) ?? []).map((r) => [r.round, r.ns]));
  const per = (results.get(key(bk, c, s, n)) ?? []).filter((r) => rd.has(r.round)).map((r) => r.ns / rd.get(r.round));
  return { r: a.med / d.med, min: per.length ? Math.min(...per) : NaN, max: per.length ? Math.max(...per) : NaN };
}
const nName = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const W = 22;
function table(title, cellFn, rowsFor = backends.map((b) => b.name)) {
  const lines = [title, `| container | shape | ${'backend'.padEnd(13)} | ${ns.map((n) => pad(nName(n), W)).join(' | ')} |`,
                 `|---|---|---|${ns.map(() => '-'.repeat(W + 1) + ':').join('|')}|`];
  for (const c of containers) for (const s of shapes) for (const bk of rowsFor)
    lines.push(`| ${c.padEnd(9)} | ${s.padEnd(5)} | ${bk.padEnd(13)} | ${ns.map((n) => pad(cellFn(bk, c, s, n), W)).join(' | ')} |`);
  return lines.join('\n');
}
const cell = (field) => (bk, c, s, n) => {
  const st = stat(key(bk, c, s, n), field);
  return st ? `${f1(st.med)} [${f1(st.min)}–${f1(st.max)}]` : '—';
};
const ratioCell = (bk, c, s, n) => {
  const r = ratio(bk, c, s, n);
  return r ? `${f2(r.r)} [${f2(r.min)}–${f2(r.max)}]` : '—';
};
const pyheaps = backends.filter((b) => !b.cpython).map((b) => b.name);
const elapsed = (Date.now() - started) / 1000;
const when = isoNow();
const out = [`## W2 gc-full — ${when}`, '',
             `${machineLine()}; ${opt.rounds} round(s), seed 0x${opt.seed.toString(16)}, ${elapsed.toFixed(0)} s. ` +
             'All 12 graph files matched the spec (E, md5).'];
const ll = loadLine(loads);
if (ll) out.push(ll);
out.push('', table('ns per graph object, timed full collection: median [min–max] over rounds', cell('ns')));
out.push('', table('ns per graph object, second collection right after', cell('re')));
if (pyheaps.length) out.push('', table('ratio to CPython 3.12 (median/median) [per-round min–max]', ratioCell, pyheaps));
if (ns.includes(1e6) && ns.includes(1e4)) {
  const lines = ['scaling: median ns/obj at 1M ÷ at 10k', `| container | shape | ${backends.map((b) => pad(b.name, 13)).join(' | ')} |`,
                 `|---|---|${backends.map(() => '-------------:').join('|')}|`];
  for (const c of containers) for (const s of shapes)
    lines.push(`| ${c.padEnd(9)} | ${s.padEnd(5)} | ${backends.map((b) => {
      const a = stat(key(b.name, c, s, 1e6)), z = stat(key(b.name, c, s, 1e4));
      return pad(a && z ? f2(a.med / z.med) : '—', 13);
    }).join(' | ')} |`);
  out.push('', lines.join('\n'));
}
if (failures.length) {
  out.push('', `FAILED jobs (${failures.length}):`);
  for (const f of failures) out.push(`  round ${f.round} ${f.backend} ${f.container} ${f.shape} ${f.n}: ${f.why}`);
}
const text = out.join('\n');
console.log('\n' + text);
mkdirSync(opt.out, { recursive: true });
writeFileSync(join(opt.out, 'w2-raw.txt'), raw.join('\n') + '\n');
writeFileSync(join(opt.out, 'w2-summary.md'), text + '\n');
writeFileSync(join(opt.out, 'w2-summary.json'), JSON.stringify({
  when, machine: machineLine(), rounds: opt.rounds, seed: '0x' + opt.seed.toString(16), elapsed_s: elapsed,
  graphs: graphs.map(({ shape, n, m, e, md5, ok }) => ({ shape, n, m, e, md5, ok })), failures,
  results: Object.fromEntries(results) }, null, 1) + '\n');
console.log(`\nrun-w2: wrote ${join(opt.out, 'w2-raw.txt')}, w2-summary.md, w2-summary.json`);
if (failures.length) {
  console.error(`run-w2: ${failures.length} job(s) FAILED`);
  process.exit(1);
}
