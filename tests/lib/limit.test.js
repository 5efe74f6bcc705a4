// limit.test.js — the heap limit: ENOMEM as CPython's MemoryError, the heap
// consistent afterwards, setLimit.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { PyheapError } from '../../web/lib/index.js';
import { VARIANTS, heapFor, ARENA_SIZE, blocksPerPool } from './helpers.js';

const MiB = 1 << 20;

for (const variant of VARIANTS) {
  describe(`heap limit (${variant.name} build)`, () => {
    test('limit is reported; footprint never exceeds it; running out is ENOMEM naming the limit', async () => {
      const limit = 4 * MiB;
      // thousands of calls: check at checkpoints, not after every call
      const heap = await heapFor(variant, { limit, debugChecks: false });
      assert.equal(heap.limit, limit);
      const blocks = [];
      let err;
      try {
        for (;;) {
          blocks.push(heap.malloc(512));
          assert.ok(heap.footprint <= limit);
          if (blocks.length % 1000 === 0) heap.check();
        }
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof PyheapError, `expected a PyheapError, got ${err}`);
      assert.equal(err.code, 'ENOMEM');
      assert.equal(err.kind, 'memory');
      assert.match(err.message, /obj\.malloc\(512\)/);
      assert.match(err.message, /heap limit of 4,194,304 bytes/);
      assert.ok(blocks.length > blocksPerPool(31), 'at least a pool was filled before the limit');
      // A whole number of arenas fit, each holding 63 pools of 31 blocks; once
      // no arena can be mapped, pymalloc falls back to the raw allocator (§1.2)
      // until that is exhausted too.
      const s = heap.stats();
      const inPools = blocks.filter((p) => heap.classify(p) === 'block_live').length;
      const inRaw = blocks.filter((p) => heap.classify(p) === 'raw_live').length;
      assert.equal(inPools + inRaw, blocks.length);
      assert.equal(inPools, s.narenasCurrentlyAllocated * 63 * blocksPerPool(31));
      assert.equal(s.classes[31].blocksInUse, inPools);
      assert.equal(s.rawAllocatedBlocks, inRaw, 'fallbacks are counted as raw_allocated_blocks');
      assert.ok(s.narenasCurrentlyAllocated * ARENA_SIZE <= limit);
      assert.ok(blocks.slice(0, inPools).every((p) => heap.classify(p) === 'block_live'), 'pools first, raw after');
      assert.equal(heap.check(), true, 'consistent after ENOMEM');

      // Everything still works: free some, allocate again, in the freed slots.
      const freed = blocks.splice(100, 10);
      freed.forEach((p) => heap.free(p));
      for (let i = 0; i < 10; i++) assert.ok(freed.includes(heap.malloc(500)), 'reuses the freed pool blocks');
      assert.throws(() => heap.malloc(512), { code: 'ENOMEM' });
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('a raw request above the limit fails at once, leaving the heap unchanged', async () => {
      const heap = await heapFor(variant, { limit: 2 * MiB });
      const p = heap.malloc(100);
      const before = heap.stats();
      assert.throws(() => heap.malloc(3 * MiB), { code: 'ENOMEM', message: /heap limit of 2,097,152 bytes/ });
      assert.throws(() => heap.raw.calloc(3, MiB), { code: 'ENOMEM', message: /raw\.calloc\(3, 1048576\)/ });
      assert.deepEqual(heap.stats(), before);
      assert.equal(heap.check(), true);
      heap.free(p);
      heap.dispose();
    });

    test('realloc failing for lack of memory leaves the old block valid', async () => {
      const heap = await heapFor(variant, { limit: 2 * MiB });
      const p = heap.malloc(400);
      assert.throws(() => heap.realloc(p, 4 * MiB), { code: 'ENOMEM' });
      assert.equal(heap.classify(p), 'block_live');
      assert.equal(heap.blockSize(p), 400);
      const r = heap.malloc(600);
      assert.throws(() => heap.realloc(r, 4 * MiB), { code: 'ENOMEM' });
      assert.equal(heap.classify(r), 'raw_live');
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('setLimit: raising lets allocation continue; below the footprint is EINVAL; 0 removes it', async () => {
      const heap = await heapFor(variant, { limit: 2 * MiB });
      assert.throws(() => heap.malloc(2 * MiB), { code: 'ENOMEM' });
      heap.setLimit(8 * MiB);
      assert.equal(heap.limit, 8 * MiB);
      const big = heap.malloc(2 * MiB);
      const fp = heap.footprint;
      assert.ok(fp >= 2 * MiB && fp <= 8 * MiB);
      assert.throws(() => heap.setLimit(fp - 1), {
        code: 'EINVAL',
        message: new RegExp(`setLimit\\(${fp - 1}\\): .*below .*${fp.toLocaleString('en-US')} bytes`),
      });
      assert.equal(heap.limit, 8 * MiB, 'unchanged after the refusal');
      heap.setLimit(fp);
      assert.equal(heap.limit, fp);
      heap.setLimit(0);
      assert.equal(heap.limit, 0);
      heap.malloc(16 * MiB);
      heap.free(big);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('no limit: ENOMEM message says memory is exhausted', async () => {
      const heap = await heapFor(variant);
      // 4 GiB - 16 can never fit next to the module's own data
      assert.throws(() => heap.malloc(0xfffffff0), { code: 'ENOMEM', message: /no heap limit set/ });
      assert.equal(heap.check(), true);
      heap.dispose();
    });
  });
}
