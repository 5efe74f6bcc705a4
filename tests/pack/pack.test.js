// pack.test.js — the package as users get it: `npm pack`, install the tarball
// into a fresh project, and use it there by name (not from the source tree),
// so the `exports` map, the `files` list and the shipped wasm are what is tested.
//
// The project gets its own node:test suite (consumer.test.mjs below) that
// imports 'pyheap': the heap API, run(), session stepping, the loader's
// sources (URL, path, bytes, WebAssembly.Module, twice) and its version
// check; the installed bin runs a program; `tsc --noEmit` checks a consumer
// .ts file against the shipped .d.ts files. Expected program output is
// python3.12's, recorded by tests/record/record_conformance.sh.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, SEED, packAndInstall } from './pack-helpers.js';
import { wasmBinary, op } from '../lib/helpers.js';

const EXPORTS = ['.', './browser', './widget', './pyheap.wasm', './pyheap.debug.wasm', './package.json'];

describe('npm pack → install → import by name', () => {
  let dir, app, files, installed;

  before(() => {
    ({ dir, app, files } = packAndInstall());
    installed = join(app, 'node_modules', 'pyheap');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the tarball holds the library, typings, wasm builds and browser bundles, and no sources or tests', () => {
    for (const f of ['package.json', 'README.md', 'web/lib/index.js', 'web/lib/index.d.ts', 'web/lib/program.js',
      'web/gen/pyheap.wasm', 'web/gen/pyheap.debug.wasm', 'web/gen/pyheap.js', 'web/gen/widget.js',
      'web/gen/layout-worker.js', 'web/viz/viz.css', 'web/widget/widget.d.ts', 'web/interp/vm.js', 'web/cli.js',
      'docs/API.md']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    for (const f of files) {
      assert.doesNotMatch(f, /^(core|tests|build|node_modules)\//, `${f} should not be shipped`);
      assert.doesNotMatch(f, /\.map$/, `${f}: no source maps in the package`);
    }
  });

  test('package.json: ESM, the exports map with types for every JS entry, Node >= 18, prepack builds', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.type, 'module');
    assert.deepEqual(Object.keys(pkg.exports), EXPORTS);
    for (const [key, target] of Object.entries(pkg.exports)) {
      const paths = typeof target === 'string' ? [target] : Object.values(target);
      if (typeof target !== 'string') {
        assert.deepEqual(Object.keys(target), ['types', 'default'], `${key}: types first, then default`);
      }
      for (const p of paths) assert.ok(files.includes(p.replace(/^\.\//, '')), `${key} -> ${p} is in the tarball`);
    }
    assert.equal(pkg.engines.node, '>=18');
    assert.match(pkg.scripts.prepack ?? '', /build\.sh wasm/);
    assert.match(pkg.scripts.prepack ?? '', /build\.sh bundle/);
    assert.ok(Array.isArray(pkg.sideEffects) && pkg.sideEffects.includes('./web/gen/widget.js'),
      'the widget defines its element on import: bundlers must keep it');
  });

  test('no eval, no new Function, no SharedArrayBuffer or threads in the shipped JavaScript', () => {
    const js = [];
    const walk = (d) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) { if (n !== 'node_modules') walk(p); } else if (/\.(m?js)$/.test(n)) js.push(p);
      }
    };
    walk(installed);
    assert.ok(js.length > 20, `found the shipped scripts (${js.length})`);
    for (const f of js) {
      const text = readFileSync(f, 'utf8');
      for (const bad of [/\beval\s*\(/, /new\s+Function\s*\(/, /\bSharedArrayBuffer\b/, /\bAtomics\.wait\b/]) {
        assert.doesNotMatch(text, bad, `${relative(installed, f)} contains ${bad}`);
      }
    }
  });

  test("a node:test suite in the project imports 'pyheap' by name: heap API, run(), sessions, the loader", () => {
    writeFileSync(join(app, 'seed.py'), SEED.source);
    writeFileSync(join(app, 'seed.stdout'), SEED.stdout);
    // a module of another API version: the loader must refuse it by name
    writeFileSync(join(app, 'skew.wasm'), wasmBinary({ funcs: [{ export: 'pmw_version', result: true, body: [op.i32(999)] }] }));
    writeFileSync(join(app, 'consumer.test.mjs'), CONSUMER_SUITE);
    // (without the parent's NODE_TEST_CONTEXT, which would switch the child to the runner's private protocol)
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'consumer.test.mjs'], { cwd: app, encoding: 'utf8', env });
    const count = (k) => Number(r.stdout.match(new RegExp(`^# ${k} (\\d+)`, 'm'))?.[1]);
    assert.equal(r.status, 0, `the consumer suite failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
    assert.equal(count('fail'), 0);
    assert.equal(count('pass'), 8, `every consumer test ran and passed:\n${r.stdout.slice(-2000)}`);
  });

  test('the installed bin runs a Python program: pyheap run FILE.py', () => {
    writeFileSync(join(app, 'prog.py'), 'import sys\na = []\nb = a\nprint(sys.getrefcount(a), sys.getsizeof(a))\n');
    const bin = join(app, 'node_modules', '.bin', 'pyheap');
    const out = execFileSync(bin, ['run', 'prog.py'], { cwd: app, encoding: 'utf8' });
    // CPython 3.12: two names + the call's argument; an empty list is 56 bytes
    assert.equal(out, '3 56\n');
    writeFileSync(join(app, 'seed.py'), SEED.source);
    assert.equal(execFileSync(bin, ['run', 'seed.py'], { cwd: app, encoding: 'utf8' }), SEED.stdout);
  });

  test('deep imports outside the exports map are refused', () => {
    writeFileSync(join(app, 'deep.mjs'), "await import('pyheap/web/lib/raw.js');");
    assert.throws(() => execFileSync(process.execPath, ['deep.mjs'], { cwd: app, stdio: 'pipe' }),
      /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test('tsc --noEmit: a TypeScript consumer type-checks against the shipped .d.ts files', () => {
    writeFileSync(join(app, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
        lib: ['es2022', 'dom', 'esnext.disposable'], types: [], skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }));
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const r = spawnSync(tsc, ['--noEmit', '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
    // and it does check: a wrong use is an error
    writeFileSync(join(app, 'consumer.ts'), `${CONSUMER_TS}\nconst bad: number = (await run('x')).stdout;\n`);
    const bad = spawnSync(tsc, ['--noEmit', '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.notEqual(bad.status, 0, 'a type error is reported');
    assert.match(bad.stdout + bad.stderr, /Type 'string' is not assignable to type 'number'/);
  });
});

// ---- the consumer project's files -------------------------------------------------------

const CONSUMER_SUITE = `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  createHeap, createHeapSync, load, run, createSession, PyheapError, PYTHON_VERSION, WASM_API_VERSION,
} from 'pyheap';

const require = createRequire(import.meta.url);
const seed = readFileSync('seed.py', 'utf8');
const expected = readFileSync('seed.stdout', 'utf8');

test('package.json and the wasm are reachable through the exports map', () => {
  assert.equal(require('pyheap/package.json').name, 'pyheap');
  assert.match(require.resolve('pyheap/pyheap.wasm'), /node_modules\\/pyheap\\/web\\/gen\\/pyheap\\.wasm$/);
  assert.equal(PYTHON_VERSION, '3.12');
});

test('heap API: a list, its size, its repr, a stale handle', async () => {
  const heap = await createHeap();
  const l = heap.list([1, 2, 3]);   // BUILD_LIST 3: sys.getsizeof([a, b, c]) is 80 on 3.12
  assert.equal(l.sizeof, 80);
  assert.equal(l.repr(), '[1, 2, 3]');
  l.release();
  assert.throws(() => l.release(), (e) => e instanceof PyheapError && e.code === 'ESTALE');
  heap.dispose();
});

test('run(): the seed example prints what python3.12 prints', async () => {
  const pieces = [];
  const r = await run(seed, { filename: 'seed.py', stdout: (s) => pieces.push(s) });
  assert.deepEqual(r, { stdout: expected, stderr: '', status: 0 });
  assert.equal(pieces.join(''), expected, 'streamed to the callback too');
  const bad = await run('x = 1\\nraise ValueError("no")\\n', { filename: 'bad.py' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /ValueError: no\\n$/);
  await assert.rejects(run(42), (e) => e instanceof PyheapError && e.code === 'EINVAL');
});

test('createSession(): step to the end, output once, back() replays, the heap view', async () => {
  let streamed = '';
  const s = await createSession(seed, { onStdout: (t) => { streamed += t; } });
  assert.equal(s.position, 0);
  assert.equal(s.heap, null);
  let sawPair = false;
  while (!s.step().done) {
    const snap = s.snapshot();
    const names = new Set(snap.names.map((n) => n.name));
    if (names.has('n1') && names.has('n2')) {
      sawPair = true;
      const ids = snap.names.filter((n) => n.name === 'n1' || n.name === 'n2').map((n) => n.id);
      for (const id of ids) assert.ok(snap.objects.some((o) => o.id === id && o.type === 'Node'));
    }
    assert.ok(s.position < 100, 'python3.12 has about 20 line events here');
  }
  assert.ok(sawPair, 'stepping showed the names n1 and n2');
  assert.equal(s.stdout, expected);
  assert.equal(streamed, expected, 'each piece of output delivered once');
  const end = s.position;
  const st = s.back();
  assert.equal(s.position, end - 1);
  assert.equal(st.done, false);
  assert.ok(expected.startsWith(s.stdout) && s.stdout.length < expected.length, 'output up to that point only');
  assert.equal(streamed, expected, 'replays do not repeat output');
  const view = s.heap;
  assert.ok(view.stats().bytesInAllocatedBlocks > 0);
  assert.equal(view.gc.getThreshold().length, 3);
  s.step();
  assert.throws(() => view.stats(), (e) => e.code === 'EDEAD', 'a view stops at the next move');
  s.reset();
  assert.equal(s.position, 0);
  assert.equal(s.stdout, '');
  assert.equal((await s.runSliced({ slice: 1000 })).done, true);
  assert.equal(s.stdout, expected);
  s.dispose();
  assert.throws(() => s.step(), (e) => e.code === 'EDEAD');
});

test('load(): a file: URL, a path, bytes and a WebAssembly.Module all work', async () => {
  const path = require.resolve('pyheap/pyheap.wasm');
  const bytes = readFileSync(path);
  for (const wasm of [pathToFileURL(path), path, new Uint8Array(bytes), await WebAssembly.compile(bytes)]) {
    const m = await load({ wasm });
    assert.equal(m.version, WASM_API_VERSION);
    const heap = createHeapSync(m);
    const d = heap.dict({ a: 1 });
    assert.equal(d.repr(), "{'a': 1}");
    d.release();
    heap.dispose();
    const r = await run('print(len([1, 2]))\\n', { wasm });
    assert.equal(r.stdout, '2\\n');
  }
});

test('load() twice (and concurrently) is safe: one module', async () => {
  const [a, b] = await Promise.all([load(), load()]);
  assert.equal(a, b);
  assert.equal(await load(), a);
});

test('a wasm of another API version is refused with EVERSION naming both versions', async () => {
  await assert.rejects(load({ wasm: 'skew.wasm' }),
    (e) => e instanceof PyheapError && e.code === 'EVERSION' && /999/.test(e.message) && e.message.includes(String(WASM_API_VERSION)));
  await assert.rejects(run('print(1)\\n', { wasm: 'skew.wasm' }), (e) => e.code === 'EVERSION');
});

test('the widget module can be imported in Node without a DOM (it defines nothing there)', async () => {
  const w = await import('pyheap/widget');
  assert.deepEqual([...w.PANELS], ['graph', 'console', 'generations', 'arenas', 'timeline']);
  assert.equal(w.dedent('\\n    a = 1\\n      b\\n'), 'a = 1\\n  b\\n');
});
`;

const CONSUMER_TS = `
import { createHeap, run, createSession, load, PyheapError, PYTHON_VERSION } from 'pyheap';
import type { RunResult, SessionState, SessionSnapshot, ProgramSession, Heap, SnapshotObject } from 'pyheap';
import { PyheapPlayground, PANELS, parsePanels } from 'pyheap/widget';
import type { PanelName } from 'pyheap/widget';

const version: '3.12' = PYTHON_VERSION;
const result: RunResult = await run('print(1)\\n', { filename: 'x.py', stdout: (s: string) => void s });
const status: number = result.status;
const session: ProgramSession = await createSession('a = []\\n', { onStdout: (t) => void t });
const state: SessionState = session.step();
const line: number | null = state.line;
const snap: SessionSnapshot = session.snapshot();
const first: SnapshotObject | undefined = snap.objects[0];
const names: string[] = snap.names.map((n) => n.name);
const heap: Heap | null = session.heap;
const count: [number, number, number] | number[] | undefined = heap?.gc.getCount();
const back: Promise<SessionState> = session.runSliced({ slice: 1000 });
session.dispose();
const h = await createHeap({ wasm: new URL('https://example.org/pyheap.wasm') });
const roots = h.snapshot([1234]);
await load({ wasm: new Uint8Array(8) }).catch((e: unknown) => e instanceof PyheapError ? e.code : null);
const el: PyheapPlayground | null = document.querySelector('pyheap-playground');
el?.addEventListener('pyheap-step', (ev) => { const s: SessionState = ev.detail; void s; });
const panels: readonly PanelName[] = PANELS;
const parsed: PanelName[] = parsePanels('graph console').panels;
export { version, status, line, first, names, count, back, roots, panels, parsed };
`;
