// pack.test.js — the package as users get it: `npm pack`, install the tarball
// into a fresh project, and use it there by name (not from the source tree),
// so the `exports` map, the `files` list and the shipped wasm are what is tested.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/helpers.js';

const npm = (args, cwd) => execFileSync('npm', args, {
  cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
});

describe('npm pack → install → import by name', () => {
  let dir;
  let tarball;
  let files;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pyheap-pack-'));
    // the wasm is already built by ./build.sh test; prepack would rebuild it
    const out = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT));
    tarball = join(dir, out[0].filename);
    files = out[0].files.map((f) => f.path);
    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', '--offline', '--no-package-lock', tarball], app);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the tarball holds the library, its typings and both wasm builds, and no sources or tests', () => {
    for (const f of ['package.json', 'web/lib/index.js', 'web/lib/index.d.ts', 'web/gen/pyheap.wasm',
      'web/gen/pyheap.debug.wasm']) assert.ok(files.includes(f), `${f} is in the tarball`);
    for (const f of files) assert.doesNotMatch(f, /^(core|tests|build)\//, `${f} should not be shipped`);
  });

  test('package.json builds the wasm before packing', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.match(pkg.scripts.prepack ?? '', /build\.sh wasm/);
  });

  test('a project imports pyheap by name and runs it in Node', () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'main.mjs'), `
      import { createHeap, PyheapError } from 'pyheap';
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const pkg = require('pyheap/package.json');
      const wasmPath = require.resolve('pyheap/pyheap.wasm');
      const heap = await createHeap();
      const l = heap.list([1, 2, 3]);   // BUILD_LIST 3: sys.getsizeof([a, b, c]) is 80 on 3.12
      const out = { name: pkg.name, wasm: wasmPath.endsWith('pyheap.wasm'), size: l.sizeof, repr: l.repr() };
      l.release();
      try { l.release(); } catch (e) { out.stale = e instanceof PyheapError && e.code; }
      heap.dispose();
      console.log(JSON.stringify(out));
    `);
    const res = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' }));
    assert.deepEqual(res, { name: 'pyheap', wasm: true, size: 80, repr: '[1, 2, 3]', stale: 'ESTALE' });
  });

  test('the installed bin runs a Python program: pyheap run FILE.py', () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'prog.py'), 'import sys\na = []\nb = a\nprint(sys.getrefcount(a), sys.getsizeof(a))\n');
    const bin = join(app, 'node_modules', '.bin', 'pyheap');
    const out = execFileSync(bin, ['run', 'prog.py'], { cwd: app, encoding: 'utf8' });
    // CPython 3.12: two names + the call's argument; an empty list is 56 bytes
    assert.equal(out, '3 56\n');
  });

  test('deep imports outside the exports map are refused', () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'deep.mjs'), "await import('pyheap/web/lib/raw.js');");
    assert.throws(() => execFileSync(process.execPath, ['deep.mjs'], { cwd: app, stdio: 'pipe' }),
      /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
