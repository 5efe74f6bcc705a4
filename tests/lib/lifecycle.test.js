// lifecycle.test.js — dispose semantics, independence of heaps, construction.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

import { Heap, PyheapError, load, createHeapSync } from '../../web/lib/index.js';
import { VARIANTS, heapFor, allocMany } from './helpers.js';

/** Every public operation of a heap, as thunks. */
function operations(heap) {
  const ops = {
    'malloc': () => heap.malloc(8),
    'calloc': () => heap.calloc(1, 8),
    'realloc': () => heap.realloc(0, 8),
    'free': () => heap.free(0),
    'classify': () => heap.classify(0),
    'blockSize': () => heap.blockSize(0),
    'check': () => heap.check(),
    'stats': () => heap.stats(),
    'arenas': () => heap.arenas(),
    'debugmallocstats': () => heap.debugmallocstats(),
    'limit': () => heap.limit,
    'setLimit': () => heap.setLimit(0),
    'footprint': () => heap.footprint,
  };
  for (const d of ['raw', 'mem', 'obj']) {
    ops[`${d}.malloc`] = () => heap[d].malloc(8);
    ops[`${d}.calloc`] = () => heap[d].calloc(1, 8);
    ops[`${d}.realloc`] = () => heap[d].realloc(0, 8);
    ops[`${d}.free`] = () => heap[d].free(0);
  }
  return ops;
}

for (const variant of VARIANTS) {
  describe(`lifecycle (${variant.name} build)`, () => {
    test('after dispose() every operation throws EDEAD; dispose() itself is idempotent', async () => {
      const heap = await heapFor(variant);
      for (const [name, fn] of Object.entries(operations(heap))) {
        assert.doesNotThrow(fn, `${name} works on a live heap`);
      }
      assert.equal(heap.disposed, false);
      heap.dispose();
      assert.equal(heap.disposed, true);
      for (const [name, fn] of Object.entries(operations(heap))) {
        assert.throws(fn, (e) => e instanceof PyheapError && e.code === 'EDEAD' && e.kind === 'state' &&
          /disposed/.test(e.message), name);
      }
      heap.dispose();
      heap[Symbol.dispose]();
    });

    test('[Symbol.dispose] disposes', async () => {
      const heap = await heapFor(variant);
      heap[Symbol.dispose]();
      assert.equal(heap.disposed, true);
      assert.throws(() => heap.malloc(1), { code: 'EDEAD' });
    });

    test('a new heap can be created after others are disposed, and gets the same addresses', async () => {
      const first = await heapFor(variant);
      const a = allocMany(first, 24, 3).concat([first.malloc(5000)]);
      first.dispose();
      for (let i = 0; i < 3; i++) {
        const heap = await heapFor(variant);
        const b = allocMany(heap, 24, 3).concat([heap.malloc(5000)]);
        assert.deepEqual(b, a, `round ${i}: deterministic layout after release`);
        assert.equal(heap.check(), true);
        heap.dispose();
      }
    });

    test('disposing returns the memory: create/dispose rounds do not grow linear memory', async () => {
      const mod = await load({ debug: !!variant.options.debug });
      const heap0 = await heapFor(variant, { debugChecks: false });
      heap0.malloc(100_000);
      allocMany(heap0, 100, 2000);
      heap0.dispose();
      const size = mod.u8.length;
      for (let i = 0; i < 20; i++) {
        const heap = await heapFor(variant, { debugChecks: false });
        heap.malloc(100_000);
        allocMany(heap, 100, 2000);
        heap.dispose();
      }
      assert.equal(mod.u8.length, size, 'linear memory did not grow');
    });

    test('two heaps side by side are independent', async () => {
      const h1 = await heapFor(variant);
      const h2 = await heapFor(variant);
      const p1 = allocMany(h1, 32, 10);
      const p2 = allocMany(h2, 32, 10);
      const s1 = new Set(p1);
      assert.ok(p2.every((p) => !s1.has(p)), 'no address is shared');
      for (const p of p1) assert.equal(h2.classify(p), 'foreign');
      for (const p of p2) assert.equal(h1.classify(p), 'foreign');
      assert.throws(() => h2.free(p1[0]), { code: 'EBADPTR' });
      h1.free(p1[3]);
      assert.equal(h1.stats().classes[1].blocksInUse, 9);
      assert.equal(h2.stats().classes[1].blocksInUse, 10);
      assert.equal(h2.malloc(32), p2[9] + 32, 'h1\'s free list is not h2\'s');
      h1.dispose();
      assert.equal(h2.check(), true, 'disposing one leaves the other intact');
      for (const p of p2) assert.equal(h2.classify(p), 'block_live');
      assert.throws(() => h1.malloc(1), { code: 'EDEAD' });
      h2.dispose();
    });

    test('memory growth: views are rebuilt, big blocks are usable and zeroed', async () => {
      const mod = await load({ debug: !!variant.options.debug });
      const heap = await heapFor(variant);
      const old = mod.u8;
      const n = 64 << 20;
      const p = heap.calloc(n / 1024, 1024);
      assert.ok(mod.u8.length > old.length, 'memory grew');
      assert.equal(old.length, 0, 'the old view was detached');
      assert.ok(p + n <= mod.u8.length);
      const words = new Uint32Array(mod.u8.buffer, p, n / 4);
      let nonzero = 0;
      for (let i = 0; i < words.length; i++) nonzero |= words[i];
      assert.equal(nonzero, 0, 'zeroed');
      assert.equal(heap.stats().rawBytesRequested, n);
      assert.equal(heap.blockSize(p), n);
      heap.free(p);
      heap.dispose();
    });

    test('many heaps at once', async () => {
      const heaps = [];
      for (let i = 0; i < 20; i++) heaps.push(await heapFor(variant));
      const ps = heaps.map((h) => h.malloc(16));
      assert.equal(new Set(ps).size, 20);
      heaps.forEach((h, i) => {
        assert.equal(h.classify(ps[i]), 'block_live');
        assert.equal(h.classify(ps[(i + 1) % 20]), 'foreign');
      });
      heaps.forEach((h) => h.dispose());
    });
  });
}

describe('garbage collection backstop', () => {
  test('a heap dropped without dispose() is freed by the FinalizationRegistry', async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc');
    const variant = VARIANTS[0];
    // First, what a fresh heap's first block is when the memory of a disposed one is reused.
    const probe = await heapFor(variant);
    const first = probe.malloc(16);
    probe.dispose();
    let leaked;
    await (async () => {
      const h = await heapFor(variant);
      leaked = h.malloc(16);
    })();
    assert.equal(leaked, first);
    let reused = false;
    for (let i = 0; i < 20 && !reused; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const h = await heapFor(variant);
      reused = h.malloc(16) === first; // only if the leaked heap's arena was given back
      h.dispose();
    }
    assert.ok(reused, 'the leaked heap was freed after collection');
  });
});

describe('construction', () => {
  test('new Heap() is refused with a pointer to createHeap()', () => {
    assert.throws(() => new Heap(), { code: 'EINVAL', message: /createHeap\(\)/ });
  });

  test('createHeapSync on a loaded module; it refuses wasm/debug options and non-modules', async () => {
    const mod = await load();
    const heap = createHeapSync(mod, { limit: 8 << 20 });
    assert.equal(heap.limit, 8 << 20);
    heap.dispose();
    assert.throws(() => createHeapSync(mod, { debug: true }), { code: 'EINVAL', message: /belong to load/ });
    assert.throws(() => createHeapSync({}), { code: 'EINVAL', message: /result of load\(\)/ });
  });

  test('both debugChecks settings work on both builds', async () => {
    for (const variant of VARIANTS) {
      for (const debugChecks of [false, true]) {
        const heap = await heapFor(variant, { debugChecks });
        heap.free(heap.malloc(10));
        assert.equal(heap.check(), true);
        heap.dispose();
      }
    }
  });
});
