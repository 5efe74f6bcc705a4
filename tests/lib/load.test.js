// load.test.js — the loader: sources, memoization, import/export/version checks.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { load, createHeap, createHeapSync, PyheapError, WASM_API_VERSION } from '../../web/lib/index.js';
import { RELEASE_WASM, DEBUG_WASM, wasmBinary, fakeCore, op } from './helpers.js';

const rejectsWith = (promise, code, re) => assert.rejects(promise, (e) => {
  assert.ok(e instanceof PyheapError, `expected a PyheapError, got ${e?.stack ?? e}`);
  assert.equal(e.code, code, e.message);
  if (re) assert.match(e.message, re);
  return true;
});

describe('default sources', () => {
  test('load() is memoized: repeated and concurrent calls share one module', async () => {
    const [a, b] = await Promise.all([load(), load()]);
    const c = await load({});
    assert.equal(a, b);
    assert.equal(a, c);
    assert.equal(load(), load(), 'the same promise, not just the same result');
  });

  test('debug and release builds are different modules, both at the expected version', async () => {
    const rel = await load();
    const dbg = await load({ debug: true });
    assert.notEqual(rel, dbg);
    assert.equal(rel.debug, false);
    assert.equal(dbg.debug, true);
    assert.equal(rel.version, WASM_API_VERSION);
    assert.equal(dbg.version, WASM_API_VERSION);
    assert.equal(await load({ debug: true }), dbg);
  });

  test('heaps from createHeap() share the memoized module', async () => {
    const mod = await load();
    const h1 = await createHeap();
    const h2 = createHeapSync(mod);
    const p = h1.malloc(8);
    // same linear memory: a pointer of h1 is inside h2's address space but foreign to it
    assert.equal(h2.classify(p), 'foreign');
    h1.dispose();
    h2.dispose();
  });
});

describe('explicit sources', () => {
  test('bytes (Uint8Array, ArrayBuffer, Buffer), a WebAssembly.Module, a path, a file: URL', async () => {
    const buf = await readFile(RELEASE_WASM);
    const u8 = new Uint8Array(buf);
    const ab = u8.slice().buffer;
    const module = await WebAssembly.compile(u8);
    const sources = [u8, ab, buf, module, fileURLToPath(RELEASE_WASM), RELEASE_WASM, RELEASE_WASM.href];
    for (const wasm of sources) {
      const heap = await createHeap({ wasm });
      const p = heap.malloc(100);
      assert.equal(heap.blockSize(p), 112, `source ${wasm.constructor.name}`);
      heap.dispose();
    }
  });

  test('a string path is memoized by name, an object source by identity', async () => {
    const path = fileURLToPath(RELEASE_WASM);
    assert.equal(await load({ wasm: path }), await load({ wasm: path }));
    const bytes = new Uint8Array(await readFile(RELEASE_WASM));
    const a = await load({ wasm: bytes });
    assert.equal(await load({ wasm: bytes }), a);
    assert.notEqual(await load({ wasm: bytes.slice() }), a, 'a different buffer is a different instance');
  });

  test('separately loaded instances are independent address spaces', async () => {
    const bytes = new Uint8Array(await readFile(DEBUG_WASM));
    const h1 = await createHeap({ wasm: bytes, debug: true });
    const h2 = await createHeap({ wasm: bytes.slice(), debug: true });
    const p1 = h1.malloc(16);
    const p2 = h2.malloc(16);
    assert.equal(p1, p2, 'identical fresh modules hand out identical addresses (determinism)');
    h1.free(p1);
    assert.equal(h2.classify(p2), 'block_live');
    h1.dispose();
    h2.dispose();
  });
});

describe('over http (the browser path: fetch, streaming compile)', () => {
  let server;
  let base;
  let hits;
  const start = async () => {
    const bytes = await readFile(RELEASE_WASM);
    hits = {};
    server = createServer((req, res) => {
      hits[req.url] = (hits[req.url] ?? 0) + 1;
      if (req.url === '/pyheap.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
      else if (req.url === '/plain.wasm') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      else if (req.url === '/spa.wasm') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  };

  test('a URL served as application/wasm (streaming) and as octet-stream (fallback)', async (t) => {
    await start();
    t.after(() => server.close());
    for (const path of ['/pyheap.wasm', '/plain.wasm']) {
      const heap = await createHeap({ wasm: new URL(path, base) });
      assert.equal(heap.blockSize(heap.malloc(1)), 16);
      heap.dispose();
    }
    // memoized by URL (a URL object and its string are the same source): no second request
    await load({ wasm: `${base}/pyheap.wasm` });
    await load({ wasm: `${base}/pyheap.wasm` });
    assert.equal(hits['/pyheap.wasm'], 1, 'fetched once');
    // a Response is accepted too
    const mod = await load({ wasm: await fetch(`${base}/plain.wasm`) });
    assert.equal(mod.version, WASM_API_VERSION);
  });

  test('an HTML page or a 404 instead of the wasm: ELOAD saying which', async (t) => {
    await start();
    t.after(() => server.close());
    await rejectsWith(load({ wasm: `${base}/spa.wasm` }), 'ELOAD', /spa\.wasm is not a WebAssembly binary.*returned HTML/);
    await rejectsWith(load({ wasm: `${base}/gone.wasm` }), 'ELOAD', /gone\.wasm: HTTP 404/);
  });
});

describe('packaging', () => {
  test('web/lib has no static Node built-in imports and no require() (browser bundlers)', async () => {
    const dir = new URL('../../web/lib/', import.meta.url);
    for (const name of ['index.js', 'load.js', 'raw.js', 'heap.js', 'errors.js']) {
      const src = await readFile(new URL(name, dir), 'utf8');
      assert.doesNotMatch(src, /^\s*import\s[^;]*from\s*['"](node:|fs|path|url|module)/m, name);
      assert.doesNotMatch(src, /\brequire\s*\(/, name);
      assert.doesNotMatch(src, /__dirname|__filename/, name);
    }
  });

  test('the default wasm URLs are written as new URL(literal, import.meta.url)', async () => {
    const src = await readFile(new URL('../../web/lib/load.js', import.meta.url), 'utf8');
    assert.match(src, /new URL\('\.\.\/gen\/pyheap\.wasm', import\.meta\.url\)/);
    assert.match(src, /new URL\('\.\.\/gen\/pyheap\.debug\.wasm', import\.meta\.url\)/);
  });
});

describe('failures', () => {
  test('missing file: ELOAD naming the path and the build command', async () => {
    await rejectsWith(load({ wasm: '/nonexistent/pyheap.wasm' }), 'ELOAD', /\/nonexistent\/pyheap\.wasm.*build\.sh wasm/);
  });

  test('an HTML page instead of wasm: ELOAD saying so', async () => {
    const html = new TextEncoder().encode('<!DOCTYPE html><html><body>404</body></html>');
    await rejectsWith(load({ wasm: html }), 'ELOAD', /not a WebAssembly binary.*returned HTML/);
  });

  test('a wrong kind of source: ELOAD naming the type', async () => {
    await rejectsWith(load({ wasm: 42 }), 'ELOAD', /options\.wasm must be .*not number/);
    await rejectsWith(load({ wasm: { url: 'x' } }), 'ELOAD', /not Object/);
  });

  test('corrupt wasm after a valid header: ELOAD with the compiler message', async () => {
    const bad = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0x05, 0xff]);
    await rejectsWith(load({ wasm: bad }), 'ELOAD', /cannot compile/);
  });

  test('an unknown import: ELOAD naming every one of them', async () => {
    const wasm = wasmBinary({
      imports: [
        { module: 'env', name: 'emscripten_notify_memory_growth', params: 1 },
        { module: 'env', name: 'invoke_vii', params: 3 },
        { module: 'wasi_snapshot_preview1', name: 'clock_time_get', params: 3, result: true },
      ],
      funcs: [{ export: 'pmw_version', result: true, body: [op.i32(1)] }],
    });
    await rejectsWith(load({ wasm }), 'ELOAD',
      /env\.invoke_vii \(function\).*wasi_snapshot_preview1\.clock_time_get \(function\)/);
  });

  test('version skew: EVERSION naming both versions', async () => {
    const wasm = wasmBinary({ funcs: [{ export: 'pmw_version', result: true, body: [op.i32(999)] }] });
    await rejectsWith(load({ wasm }), 'EVERSION',
      new RegExp(`module version 999.*needs version ${WASM_API_VERSION}`));
  });

  test('_initialize runs exactly once, before the version check; missing exports are named', async () => {
    // pmw_version returns the number of times _initialize ran, plus WASM_API_VERSION - 1.
    const wasm = wasmBinary({
      globals: 1,
      funcs: [
        { export: '_initialize', body: [op.globalGet(0), op.i32(1), op.add(), op.globalSet(0)] },
        { export: 'pmw_version', result: true, body: [op.globalGet(0), op.i32(WASM_API_VERSION - 1), op.add()] },
        { export: 'pmw_malloc', params: 3, result: true, body: [op.i32(0)] },
      ],
    });
    await rejectsWith(load({ wasm }), 'ELOAD', /lacks the exports pmw_new_status, pmw_heap_new, .*pmw_debugmallocstats/);
  });

  test('no exported memory: ELOAD', async () => {
    const wasm = wasmBinary({ memory: false, funcs: [{ export: 'pmw_version', result: true, body: [op.i32(1)] }] });
    await rejectsWith(load({ wasm }), 'ELOAD', /does not export its memory/);
  });

  test('a failed load is forgotten, so the same source can be retried', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pyheap-'));
    const path = join(dir, 'late.wasm');
    try {
      await rejectsWith(load({ wasm: path }), 'ELOAD', /no such file/);
      await writeFile(path, await readFile(RELEASE_WASM));
      const mod = await load({ wasm: path });
      assert.equal(mod.version, WASM_API_VERSION);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the imports a standalone build may have are provided', async () => {
    const wasm = fakeCore();
    const mod = await load({ wasm });
    assert.equal(mod.version, WASM_API_VERSION);
    const heap = createHeapSync(mod);
    assert.equal(heap.check(), true);
    heap.dispose();
  });
});

test('freeStack(): the wasm stack below its pointer, inside a call from the core too', async () => {
  const { createHeapSync } = await import('../../web/lib/index.js');
  const raw = await load();
  const idle = raw.freeStack();
  assert.ok(Array.isArray(idle), 'known for this build');
  const [low, top] = idle;
  // the build's stack is 1 MiB (build.sh -sTOTAL_STACK), above the static data, under the heap
  assert.ok(low > 0 && top - low >= 1024 * 1024 && top - low < 1024 * 1024 + 64, `stack [${low}, ${top})`);
  assert.ok(top < raw.u8.length);
  // inside a finalizer (the core calling JavaScript) the core's frames are live: whatever of them is in
  // linear memory sits above the pointer (a frame with no address-taken local has none there)
  const heap = createHeapSync(raw);
  const marker = heap.str('m');
  const K = heap.class('K', { dict: { __del__: marker } });
  marker.release();
  let inner = null;
  heap.setHostHooks({ finalize() { inner = raw.freeStack(); } });
  K.new().release();
  assert.ok(inner, 'the hook ran');
  assert.equal(inner[0], low);
  assert.ok(inner[1] > low && inner[1] <= top, `pointer ${inner[1]} within [${low}, ${top}]`);
  assert.deepEqual(raw.freeStack(), idle, 'and back after the call');
  K.release();
  heap.dispose();
});
