// errors.test.js — bad pointers, bad arguments, core traps: every one is a
// PyheapError with the right code and a message naming the call, and the heap
// is intact afterwards.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { PyheapError, load, createHeapSync } from '../../web/lib/index.js';
import { VARIANTS, heapFor, fakeCore, op, poolOf, POOL_SIZE } from './helpers.js';

const hex = (p) => '0x' + p.toString(16).padStart(8, '0');

/** assert.throws for a PyheapError with `code` whose message matches every regex. */
function throwsPyheap(fn, code, ...res) {
  let err;
  assert.throws(fn, (e) => {
    err = e;
    assert.ok(e instanceof PyheapError, `expected a PyheapError, got ${e?.stack ?? e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'PyheapError');
    assert.equal(e.code, code, e.message);
    for (const re of res) assert.match(e.message, re);
    return true;
  });
  return err;
}

for (const variant of VARIANTS) {
  describe(`bad pointers (${variant.name} build)`, () => {
    test('double free: EFREED naming the call and the pointer; the heap is intact', async () => {
      const heap = await heapFor(variant);
      const keep = heap.malloc(24);
      const p = heap.malloc(24);
      heap.free(p);
      const before = heap.stats();
      const e = throwsPyheap(() => heap.free(p), 'EFREED', new RegExp(`obj\\.free\\(${hex(p)}\\)`), /EFREED/);
      assert.equal(e.kind, 'pointer');
      assert.equal(e.ptr, p);
      assert.equal(e.op, 'obj.free');
      assert.equal(e.status, -5);
      assert.deepEqual(heap.stats(), before, 'nothing changed');
      assert.equal(heap.check(), true);
      assert.equal(heap.malloc(24), p, 'the free list was not corrupted by the second free');
      assert.equal(heap.classify(keep), 'block_live');
      heap.dispose();
    });

    test('double free of a raw block: EFREED', async () => {
      const heap = await heapFor(variant);
      const p = heap.malloc(1000);
      heap.free(p);
      throwsPyheap(() => heap.free(p), 'EFREED', new RegExp(hex(p)));
      throwsPyheap(() => heap.raw.free(p), 'EFREED', /raw\.free/);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('interior and misaligned pointers: EBADPTR', async () => {
      const heap = await heapFor(variant);
      const p = heap.malloc(64);
      const r = heap.malloc(2000);
      const before = heap.stats();
      for (const bad of [p + 16, p + 8, p + 1, p + 63]) {
        throwsPyheap(() => heap.free(bad), 'EBADPTR', new RegExp(`obj\\.free\\(${hex(bad)}\\)`));
        throwsPyheap(() => heap.realloc(bad, 8), 'EBADPTR', new RegExp(`obj\\.realloc\\(${hex(bad)}, 8\\)`));
      }
      for (const bad of [r + 16, r + 4, r - 16]) {
        throwsPyheap(() => heap.free(bad), 'EBADPTR', new RegExp(hex(bad)));
      }
      assert.equal(heap.classify(p + 16), 'block_interior');
      assert.equal(heap.classify(poolOf(p)), 'block_interior', 'a pool header is not a block');
      assert.deepEqual(heap.stats(), before);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('foreign pointers (outside the heap, another heap\'s, beyond memory): EBADPTR', async () => {
      const heap = await heapFor(variant);
      const other = await heapFor(variant);
      const q = other.malloc(32);
      const mod = await load({ debug: !!variant.options.debug });
      const beyond = mod.u8.length + POOL_SIZE;
      for (const bad of [16, 8, q, beyond, 0xfffffff0]) {
        assert.equal(heap.classify(bad), 'foreign', hex(bad));
        throwsPyheap(() => heap.free(bad), 'EBADPTR', new RegExp(hex(bad)));
        throwsPyheap(() => heap.mem.realloc(bad, 100), 'EBADPTR', /mem\.realloc/);
      }
      assert.equal(other.classify(q), 'block_live', 'the other heap\'s block is untouched');
      assert.equal(heap.check(), true);
      assert.equal(other.check(), true);
      heap.dispose();
      other.dispose();
    });

    test('a block that was never handed out, and a stale pointer: not accepted', async () => {
      const heap = await heapFor(variant);
      const p = heap.malloc(16);
      const virgin = p + 5 * 16; // carved pool, block never allocated
      assert.throws(() => heap.free(virgin), (e) => e instanceof PyheapError && ['EFREED', 'EBADPTR'].includes(e.code));
      const q = heap.realloc(p, 200); // moves: p is stale now
      assert.notEqual(q, p);
      throwsPyheap(() => heap.realloc(p, 8), 'EFREED', new RegExp(hex(p)));
      throwsPyheap(() => heap.free(p), 'EFREED');
      assert.equal(heap.classify(q), 'block_live');
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('RAW-domain free of a pymalloc block: EDOMAIN', async () => {
      const heap = await heapFor(variant);
      const p = heap.malloc(48);
      throwsPyheap(() => heap.raw.free(p), 'EDOMAIN', new RegExp(`raw\\.free\\(${hex(p)}\\)`));
      throwsPyheap(() => heap.raw.realloc(p, 8), 'EDOMAIN');
      assert.equal(heap.classify(p), 'block_live');
      heap.free(p);
      assert.equal(heap.check(), true);
      heap.dispose();
    });
  });

  describe(`argument validation (${variant.name} build)`, () => {
    test('non-integer, negative, too large or non-number sizes and pointers: EINVAL before any core call', async () => {
      const heap = await heapFor(variant);
      const p = heap.malloc(8);
      const before = heap.stats();
      const bad = [-1, 1.5, NaN, Infinity, 2 ** 32, '8', 8n, null, undefined, {}];
      for (const v of bad) {
        throwsPyheap(() => heap.malloc(v), 'EINVAL', /obj\.malloc/, /size must be an integer from 0 to 4294967295/);
        throwsPyheap(() => heap.raw.calloc(v, 1), 'EINVAL', /raw\.calloc/, /nelem/);
        throwsPyheap(() => heap.mem.calloc(1, v), 'EINVAL', /elsize/);
        throwsPyheap(() => heap.realloc(p, v), 'EINVAL', /size/);
        throwsPyheap(() => heap.realloc(v, 8), 'EINVAL', /pointer/);
        throwsPyheap(() => heap.free(v), 'EINVAL', /obj\.free/, /pointer must be/);
        throwsPyheap(() => heap.classify(v), 'EINVAL');
        throwsPyheap(() => heap.blockSize(v), 'EINVAL');
        throwsPyheap(() => heap.setLimit(v), 'EINVAL', /limit/);
      }
      const e = throwsPyheap(() => heap.malloc(-1), 'EINVAL', /got -1/);
      assert.equal(e.kind, 'argument');
      throwsPyheap(() => heap.malloc('8'), 'EINVAL', /got "8"/);
      assert.deepEqual(heap.stats(), before, 'no call reached the core');
      assert.equal(heap.classify(p), 'block_live');
      heap.dispose();
    });

    test('createHeap options are checked', async () => {
      await assert.rejects(heapFor(variant, { limt: 5 }), { code: 'EINVAL', message: /unknown option "limt"/ });
      await assert.rejects(heapFor(variant, { limit: -5 }), { code: 'EINVAL', message: /options\.limit/ });
      await assert.rejects(heapFor(variant, { limit: 1.5 }), { code: 'EINVAL' });
      const h = await heapFor(variant, { limit: Infinity });
      assert.equal(h.limit, 0, 'Infinity means no limit');
      h.dispose();
    });
  });
}

describe('core traps (a fake core that traps)', () => {
  const wasm = fakeCore({
    errorText: 'pool 0x00100000: count 3 but bitmap has 2 bits',
    bodies: {
      pmw_malloc: [op.unreachable()],
      pmw_calloc: [op.i32(3), op.call(1) /* proc_exit(3) */, op.i32(0)],
    },
  });

  test('a trap becomes ECORRUPT with the core message, and the heap is dead afterwards', async () => {
    const mod = await load({ wasm });
    const heap = createHeapSync(mod);
    const e = throwsPyheap(() => heap.malloc(8), 'ECORRUPT', /obj\.malloc\(8\)/, /count 3 but bitmap has 2 bits/);
    assert.equal(e.kind, 'invariant');
    assert.ok(e.cause instanceof WebAssembly.RuntimeError);
    assert.equal(heap.disposed, true);
    throwsPyheap(() => heap.free(0), 'EDEAD', /invariant failure/);
    throwsPyheap(() => heap.footprint, 'EDEAD');
    heap.dispose(); // harmless
    // other heaps of the module are not affected
    const other = createHeapSync(mod);
    assert.equal(other.check(), true);
    other.dispose();
  });

  test('proc_exit (abort inside the core) is a trap too', async () => {
    const mod = await load({ wasm });
    const heap = createHeapSync(mod);
    throwsPyheap(() => heap.mem.calloc(1, 1), 'ECORRUPT', /mem\.calloc\(1, 1\)/);
    throwsPyheap(() => heap.stats(), 'EDEAD');
  });

  test('check() reporting ECORRUPT throws and kills the heap', async () => {
    const mod = await load({ wasm: fakeCore({ results: { pmw_check: -7 }, errorText: 'usedpools ring of class 3 is broken' }) });
    const heap = createHeapSync(mod);
    throwsPyheap(() => heap.check(), 'ECORRUPT', /usedpools ring of class 3 is broken/);
    throwsPyheap(() => heap.malloc(1), 'EDEAD');
  });

  test('a failing pmw_heap_new: the status becomes the error', async () => {
    const mod = await load({ wasm: fakeCore({ results: { pmw_heap_new: 0, pmw_new_status: -3 } }) });
    assert.throws(() => createHeapSync(mod), { code: 'EBUSY', message: /too many live heaps/ });
  });
});
