// alloc.test.js — malloc/calloc/realloc/free through the JS API, against the
// allocator model of cpython-memory-model.md §1 (expected values come from the
// spec's formulas, see helpers.js, never from pyheap's own output).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import {
  VARIANTS, heapFor, moduleFor, classOf, sizeOfClass, blocksPerPool, poolOf, reallocKeeps,
  allocMany, fill, bytesAt, POOL_OVERHEAD, POOL_SIZE,
} from './helpers.js';

for (const variant of VARIANTS) {
  describe(`allocation (${variant.name} build)`, () => {
    test('1..512 bytes: pymalloc block of size ((n-1)>>4)+1)*16; 0 and 513+ go to the raw allocator', async () => {
      const heap = await heapFor(variant);
      for (let n = 1; n <= 512; n++) {
        const p = heap.malloc(n);
        assert.equal(heap.classify(p), 'block_live', `malloc(${n})`);
        assert.equal(heap.blockSize(p), (((n - 1) >> 4) + 1) * 16, `blockSize(malloc(${n}))`);
        assert.equal(p % 16, 0, `malloc(${n}) is 16-byte aligned`);
      }
      for (const n of [0, 513, 1000, 100_000]) {
        const p = heap.malloc(n);
        assert.notEqual(p, 0, `malloc(${n}) returns a pointer`);
        assert.equal(heap.classify(p), 'raw_live', `malloc(${n}) is raw`);
        if (n) assert.equal(heap.blockSize(p), n, `raw blockSize is the requested size (${n})`);
      }
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('every domain: MEM and OBJ use pymalloc, RAW never does', async () => {
      const heap = await heapFor(variant);
      for (const n of [1, 24, 512]) {
        assert.equal(heap.mem.domain, 'mem');
        assert.equal(heap.classify(heap.mem.malloc(n)), 'block_live', `mem.malloc(${n})`);
        assert.equal(heap.classify(heap.obj.malloc(n)), 'block_live', `obj.malloc(${n})`);
        assert.equal(heap.classify(heap.raw.malloc(n)), 'raw_live', `raw.malloc(${n})`);
      }
      assert.equal(heap.classify(heap.mem.calloc(2, 8)), 'block_live');
      assert.equal(heap.classify(heap.raw.calloc(2, 8)), 'raw_live');
      assert.equal(heap.stats().rawAllocatedBlocks, 0, 'RAW-domain blocks are not pymalloc fallbacks');
      heap.dispose();
    });

    test('a fresh pool hands out blocks in address order from pool+48, one size apart', async () => {
      const heap = await heapFor(variant);
      for (const idx of [0, 1, 6, 31]) {
        const size = sizeOfClass(idx);
        const ps = allocMany(heap, size, 5);
        const pool = poolOf(ps[0]);
        assert.equal(ps[0] - pool, POOL_OVERHEAD, `class ${idx}: first block at pool+48`);
        ps.forEach((p, i) => assert.equal(p, pool + POOL_OVERHEAD + i * size, `class ${idx}: block ${i}`));
      }
      // each class got its own pool
      const pools = new Set([0, 1, 6, 31].map((i) => poolOf(heap.malloc(sizeOfClass(i)))));
      assert.equal(pools.size, 4);
      heap.dispose();
    });

    test('a whole pool: blocksPerPool blocks, then the next block is in another pool', async () => {
      const heap = await heapFor(variant);
      for (const idx of [2, 31]) {
        const size = sizeOfClass(idx);
        const n = blocksPerPool(idx);
        const ps = allocMany(heap, size, n);
        const pool = poolOf(ps[0]);
        assert.ok(ps.every((p) => poolOf(p) === pool), `class ${idx}: ${n} blocks fit one pool`);
        assert.ok(ps.at(-1) + size <= pool + POOL_SIZE);
        const next = heap.malloc(size);
        assert.notEqual(poolOf(next), pool, `class ${idx}: block ${n + 1} needs a new pool`);
        const info = heap.arenas().flatMap((a) => a.pools).find((p) => p.address === pool);
        assert.equal(info.state, 'full');
        assert.equal(info.count, n);
        assert.equal(info.capacity, n);
      }
      heap.dispose();
    });

    test('freed blocks are reused LIFO before any virgin block', async () => {
      const heap = await heapFor(variant);
      const [a, b, c, d] = allocMany(heap, 40, 4);
      heap.free(b);
      heap.free(d);
      heap.free(a);
      assert.equal(heap.classify(b), 'block_free');
      assert.equal(heap.malloc(33), a, 'last freed first');
      assert.equal(heap.malloc(48), d);
      assert.equal(heap.malloc(40), b);
      assert.equal(heap.malloc(40), c + 2 * 48, 'then the next virgin block, after d');
      heap.dispose();
    });

    test('a full pool that regains a block is used first for its class', async () => {
      const heap = await heapFor(variant);
      const idx = 31;
      const first = allocMany(heap, 512, blocksPerPool(idx)); // pool A full
      const second = heap.malloc(512);                        // pool B
      assert.notEqual(poolOf(second), poolOf(first[0]));
      heap.free(first[10]);                                   // A: full -> used, at the front
      assert.equal(heap.malloc(500), first[10]);
      assert.equal(poolOf(heap.malloc(512)), poolOf(second), 'A is full again; B serves');
      heap.dispose();
    });

    test('calloc zeroes, for pymalloc and raw blocks, even over dirty memory', async () => {
      const heap = await heapFor(variant);
      const mod = await moduleFor(variant);
      for (const [nelem, elsize] of [[3, 8], [1, 512], [10, 100], [4, 4096]]) {
        const n = nelem * elsize;
        const p = heap.malloc(n);
        fill(mod, p, n, 0xab);
        heap.free(p);
        const q = heap.calloc(nelem, elsize);
        if (n <= 512) assert.equal(q, p, 'LIFO: calloc reuses the dirty block');
        assert.ok(bytesAt(mod, q, n).every((b) => b === 0), `calloc(${nelem}, ${elsize}) is zeroed`);
        assert.ok(heap.blockSize(q) >= n);
      }
      heap.dispose();
    });

    test('calloc with a zero count goes to the raw allocator; overflow is ENOMEM', async () => {
      const heap = await heapFor(variant);
      assert.equal(heap.classify(heap.calloc(0, 16)), 'raw_live');
      assert.equal(heap.classify(heap.calloc(16, 0)), 'raw_live');
      assert.throws(() => heap.calloc(0x10000, 0x10001), { name: 'PyheapError', code: 'ENOMEM' });
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('realloc keeps a pymalloc block iff n <= s and 4n > 3s, else moves (spec §1.9)', async () => {
      const heap = await heapFor(variant);
      for (const s of [16, 64, 208, 512]) {
        for (let n = 1; n <= s; n++) {
          const p = heap.malloc(s);
          const q = heap.realloc(p, n);
          if (reallocKeeps(s, n)) {
            assert.equal(q, p, `realloc(${s}-byte block, ${n}) keeps the block`);
          } else {
            assert.notEqual(q, p, `realloc(${s}-byte block, ${n}) moves`);
            assert.equal(heap.classify(p), 'block_free', 'the old block is freed');
            assert.equal(heap.blockSize(q), sizeOfClass(classOf(n)), 'new block fits n');
          }
          heap.free(q);
        }
      }
      heap.dispose();
    });

    test('realloc growth moves and copies; past 512 it becomes raw; raw stays raw', async () => {
      const heap = await heapFor(variant);
      const mod = await moduleFor(variant);
      const p = heap.malloc(64);
      for (let i = 0; i < 64; i++) mod.u8[p + i] = i;
      const q = heap.realloc(p, 65);
      assert.notEqual(q, p);
      assert.equal(heap.blockSize(q), 80);
      assert.deepEqual(bytesAt(mod, q, 64), Array.from({ length: 64 }, (_, i) => i), 'contents copied');
      assert.equal(heap.classify(p), 'block_free');
      const r = heap.realloc(q, 513);
      assert.equal(heap.classify(r), 'raw_live');
      assert.deepEqual(bytesAt(mod, r, 64), Array.from({ length: 64 }, (_, i) => i));
      const s = heap.realloc(r, 10);
      assert.equal(heap.classify(s), 'raw_live', 'a raw block never migrates back to pymalloc');
      assert.deepEqual(bytesAt(mod, s, 10), Array.from({ length: 10 }, (_, i) => i));
      heap.dispose();
    });

    test('realloc(0, n) is malloc(n); realloc(p, 0) of a pymalloc block moves it to raw', async () => {
      const heap = await heapFor(variant);
      const p = heap.realloc(0, 24);
      assert.equal(heap.classify(p), 'block_live');
      assert.equal(heap.blockSize(p), 32);
      const q = heap.realloc(p, 0); // 4*0 > 3*32 is false: malloc(0) -> raw
      assert.equal(heap.classify(q), 'raw_live');
      assert.equal(heap.classify(p), 'block_free');
      assert.equal(heap.classify(heap.raw.realloc(0, 24)), 'raw_live');
      heap.dispose();
    });

    test('free(0) is a no-op in every domain', async () => {
      const heap = await heapFor(variant);
      const before = heap.stats();
      heap.free(0);
      heap.raw.free(0);
      heap.mem.free(0);
      assert.deepEqual(heap.stats(), before);
      heap.dispose();
    });

    test('malloc(0) in the OBJ domain is legal and unique', async () => {
      const heap = await heapFor(variant);
      const a = heap.malloc(0);
      const b = heap.malloc(0);
      assert.notEqual(a, 0);
      assert.notEqual(a, b);
      heap.free(a);
      heap.free(b);
      assert.equal(heap.stats().rawBlocks, 0);
      heap.dispose();
    });
  });
}
