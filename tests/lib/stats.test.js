// stats.test.js — stats() and arenas() against the identities of
// cpython-memory-model.md §1.4, §1.6, §1.10 and §1.12.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import {
  VARIANTS, heapFor, classOf, sizeOfClass, blocksPerPool, poolOf, allocMany,
  ARENA_SIZE, POOL_SIZE, POOL_OVERHEAD, NB_SMALL_SIZE_CLASSES,
} from './helpers.js';

/** Deterministic pseudo-random numbers (an LCG, as d3-force's lcg.js). */
function lcg(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(1664525, s) + 1013904223) >>> 0) / 2 ** 32;
}

/** A fixed mixed workload: allocations of all kinds, frees, reallocs. Returns live blocks. */
function workload(heap, seed = 1, steps = 3000) {
  const rnd = lcg(seed);
  const live = [];
  const domains = [heap.obj, heap.mem, heap.raw];
  for (let i = 0; i < steps; i++) {
    const r = rnd();
    if (r < 0.55 || live.length === 0) {
      const n = rnd() < 0.9 ? Math.floor(rnd() * 513) : 513 + Math.floor(rnd() * 5000);
      const a = domains[Math.floor(rnd() * 2.2)]; // mostly obj/mem, some raw
      live.push({ a, p: a.malloc(n), n, raw: a === heap.raw || n === 0 || n > 512 });
    } else if (r < 0.85) {
      const { a, p } = live.splice(Math.floor(rnd() * live.length), 1)[0];
      a.free(p);
    } else {
      const b = live[Math.floor(rnd() * live.length)];
      const n = Math.floor(rnd() * 700);
      const size = b.raw ? 0 : sizeOfClass(classOf(b.n));
      b.p = b.a.realloc(b.p, n);
      // §1.9: raw stays raw; a pymalloc block is kept (n <= s, 4n > 3s) or
      // moved to malloc(n), which is raw for 0 and > 512
      if (!b.raw && !(n <= size && 4 * n > 3 * size)) b.raw = n === 0 || n > 512;
      b.n = n;
    }
  }
  return live;
}

/** Every identity between stats() and arenas() that the spec implies. */
function checkIdentities(heap) {
  assert.equal(heap.check(), true);
  const s = heap.stats();
  const arenas = heap.arenas();
  assert.equal(s.classes.length, NB_SMALL_SIZE_CLASSES);

  // per class (§1.4, §1.12 class rows)
  let inUseBytes = 0, availBytes = 0, pools = 0, quantization = 0;
  for (const c of s.classes) {
    assert.equal(c.size, sizeOfClass(c.index));
    assert.equal(c.numPools, c.poolsUsed + c.poolsFull, `class ${c.index}: num pools = used + full`);
    assert.equal(c.blocksInUse + c.availBlocks, c.numPools * blocksPerPool(c.index),
      `class ${c.index}: in use + avail = pools x blocks per pool`);
    inUseBytes += c.blocksInUse * c.size;
    availBytes += c.availBlocks * c.size;
    pools += c.numPools;
    quantization += c.numPools * ((POOL_SIZE - POOL_OVERHEAD) % c.size);
  }
  assert.equal(s.bytesInAllocatedBlocks, inUseBytes);
  assert.equal(s.bytesInAvailableBlocks, availBytes);
  assert.equal(s.bytesLostToPoolHeaders, pools * POOL_OVERHEAD);
  assert.equal(s.bytesLostToQuantization, quantization);

  // arenas (§1.6, §1.10)
  assert.equal(arenas.length, s.narenasCurrentlyAllocated);
  assert.ok(s.narenasHighwater >= s.narenasCurrentlyAllocated);
  assert.ok(s.ntimesArenaAllocated >= s.narenasHighwater);
  assert.equal(s.unusedPools, arenas.reduce((t, a) => t + a.nfreepools, 0));
  const misaligned = arenas.filter((a) => a.address % POOL_SIZE !== 0).length;
  assert.equal(s.bytesLostToArenaAlignment, misaligned * POOL_SIZE);

  // the six lines of the report sum to arenas x 1 MiB (§1.12)
  const total = s.bytesInAllocatedBlocks + s.bytesInAvailableBlocks + s.unusedPools * POOL_SIZE +
    s.bytesLostToPoolHeaders + s.bytesLostToQuantization + s.bytesLostToArenaAlignment;
  assert.equal(total, s.narenasCurrentlyAllocated * ARENA_SIZE, 'Total = arenas x 1 MiB');

  // pools as seen through arenas() agree with the class table
  const perClass = Array.from({ length: NB_SMALL_SIZE_CLASSES }, () => ({ used: 0, full: 0, empty: 0, count: 0 }));
  const usable = [];
  for (const a of arenas) {
    assert.equal(a.firstPool % POOL_SIZE, 0);
    assert.ok(a.firstPool >= a.address && a.firstPool < a.address + POOL_SIZE);
    assert.equal(a.ntotalpools, a.address % POOL_SIZE ? 63 : 64);
    assert.equal(a.pools.length, a.ntotalpools);
    let empty = 0;
    a.pools.forEach((p, k) => {
      assert.equal(p.address, a.firstPool + k * POOL_SIZE);
      if (p.state === 'unused') {
        assert.ok(k >= a.ncarved, 'uncarved pools follow the carved ones');
        return;
      }
      assert.ok(k < a.ncarved);
      if (p.state === 'empty') {
        empty++;
        assert.equal(p.count, 0);
        if (p.szidx !== null) perClass[p.szidx].empty++;
        return;
      }
      assert.equal(p.capacity, blocksPerPool(p.szidx));
      assert.equal(p.size, sizeOfClass(p.szidx));
      if (p.state === 'full') assert.equal(p.count, p.capacity);
      else assert.ok(p.count > 0 && p.count < p.capacity, `used pool count ${p.count}`);
      perClass[p.szidx][p.state]++;
      perClass[p.szidx].count += p.count;
    });
    assert.equal(a.nfreepools, empty + (a.ntotalpools - a.ncarved), 'nfreepools = empty + never carved');
    if (a.usableRank !== null) usable.push(a);
    else assert.equal(a.nfreepools, 0, 'an arena not on usable_arenas has no free pool');
  }
  s.classes.forEach((c, i) => {
    assert.equal(perClass[i].used, c.poolsUsed, `class ${i} used pools`);
    assert.equal(perClass[i].full, c.poolsFull, `class ${i} full pools`);
    assert.equal(perClass[i].empty, c.poolsEmpty, `class ${i} empty pools`);
    assert.equal(perClass[i].count, c.blocksInUse, `class ${i} blocks`);
  });
  // usable_arenas is sorted by nfreepools ascending, ranks 0..n-1 (§1.6)
  usable.sort((x, y) => x.usableRank - y.usableRank);
  usable.forEach((a, i) => {
    assert.equal(a.usableRank, i);
    assert.ok(a.nfreepools > 0);
    if (i) assert.ok(usable[i - 1].nfreepools <= a.nfreepools, 'usable_arenas sorted by nfreepools');
  });
  return s;
}

for (const variant of VARIANTS) {
  describe(`statistics (${variant.name} build)`, () => {
    test('a fresh heap: nothing allocated, no arena', async () => {
      const heap = await heapFor(variant);
      const s = checkIdentities(heap);
      assert.equal(s.narenasCurrentlyAllocated, 0);
      assert.equal(s.ntimesArenaAllocated, 0);
      assert.equal(s.bytesInAllocatedBlocks, 0);
      assert.equal(s.rawBlocks, 0);
      assert.equal(s.rawBytesRequested, 0);
      assert.ok(s.classes.every((c) => c.numPools === 0 && c.blocksInUse === 0));
      heap.dispose();
    });

    test('counts follow allocations exactly', async () => {
      const heap = await heapFor(variant);
      allocMany(heap, 24, 1200);   // class 1: 510 per pool -> 3 pools
      allocMany(heap, 500, 40);    // class 31: 31 per pool -> 2 pools
      const raws = [600, 5000, 0].map((n) => heap.malloc(n));
      heap.raw.malloc(10);
      const s = checkIdentities(heap);
      assert.equal(s.classes[1].blocksInUse, 1200);
      assert.equal(s.classes[1].numPools, 3);
      assert.equal(s.classes[1].poolsFull, 2);
      assert.equal(s.classes[1].availBlocks, 3 * 510 - 1200);
      assert.equal(s.classes[31].blocksInUse, 40);
      assert.equal(s.classes[31].numPools, 2);
      assert.equal(s.narenasCurrentlyAllocated, 1);
      assert.equal(s.unusedPools, 63 - 5);
      assert.equal(s.rawAllocatedBlocks, 3, 'OBJ requests of 0 and >512 bytes');
      assert.equal(s.rawBlocks, 4);
      assert.equal(s.rawBytesRequested, 600 + 5000 + 0 + 10);
      assert.equal(s.footprint, heap.footprint);
      raws.forEach((p) => heap.free(p));
      assert.equal(heap.stats().rawAllocatedBlocks, 0);
      heap.dispose();
    });

    test('a mixed workload keeps every identity, step after step', async () => {
      const heap = await heapFor(variant);
      for (let seed = 1; seed <= 4; seed++) {
        const live = workload(heap, seed, variant.name === 'debug' ? 800 : 3000);
        checkIdentities(heap);
        for (const { p, raw } of live) assert.equal(heap.classify(p), raw ? 'raw_live' : 'block_live');
      }
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('pools come from the fullest arena; an emptied arena is released unless it is the last usable one', async () => {
      const heap = await heapFor(variant, { debugChecks: false }); // thousands of calls: check at checkpoints
      const perArena = 63 * blocksPerPool(31);
      const blocks = allocMany(heap, 512, 3 * perArena + 5); // 3 full arenas + 5 blocks in a 4th
      let s = checkIdentities(heap);
      assert.equal(s.narenasCurrentlyAllocated, 4);
      assert.equal(s.ntimesArenaAllocated, 4);
      const arenaOf = (p) => heap.arenas().find((a) => p >= a.address && p < a.address + ARENA_SIZE).index;
      const a0 = arenaOf(blocks[0]);

      // Free one pool's worth in the first arena: it becomes usable again with
      // 1 free pool, fuller than the 4th (62 free), so it serves next.
      const firstPool = blocks.filter((p) => poolOf(p) === poolOf(blocks[0]));
      assert.equal(firstPool.length, blocksPerPool(31));
      firstPool.forEach((p) => heap.free(p));
      s = checkIdentities(heap);
      assert.equal(heap.arenas().find((a) => a.index === a0).usableRank, 0, 'fullest arena heads usable_arenas');
      // class 31 still has a used pool (in the 4th arena): it serves first
      const q = heap.malloc(500);
      assert.notEqual(arenaOf(q), a0, 'a used pool is preferred over taking a new pool');
      heap.free(q);
      // a class with no used pool takes a pool from the head of usable_arenas
      const r = heap.malloc(16);
      assert.equal(arenaOf(r), a0, 'a new pool comes from the fullest arena');
      assert.equal(poolOf(r), poolOf(blocks[0]), 'its empty pool is recycled for another class');
      heap.free(r);

      // Free everything: all arenas but one are given back (bpo-37257).
      blocks.forEach((p) => { if (!firstPool.includes(p)) heap.free(p); });
      s = checkIdentities(heap);
      assert.equal(s.narenasCurrentlyAllocated, 1, 'exactly one empty arena is kept');
      assert.equal(s.ntimesArenaAllocated, 4);
      assert.equal(s.narenasHighwater, 4);
      assert.equal(s.bytesInAllocatedBlocks, 0);
      assert.equal(s.unusedPools, 63);
      // and it is reused before a new arena is mapped
      heap.malloc(16);
      assert.equal(heap.stats().ntimesArenaAllocated, 4);
      heap.dispose();
    });

    test('an arena with a free pool is chosen over mapping a new one', async () => {
      const heap = await heapFor(variant, { debugChecks: false });
      const perArena = 63 * blocksPerPool(31);
      const blocks = allocMany(heap, 512, perArena); // exactly one full arena
      assert.equal(heap.stats().narenasCurrentlyAllocated, 1);
      const pool = blocks.filter((p) => poolOf(p) === poolOf(blocks[100]));
      pool.forEach((p) => heap.free(p));
      assert.equal(heap.stats().classes[31].poolsEmpty, 1, 'the emptied pool keeps its class');
      const p = heap.malloc(512);
      assert.equal(poolOf(p), poolOf(blocks[100]), 'the empty pool is recycled');
      assert.equal(p, pool.at(-1), 'with its free list intact (LIFO)');
      assert.equal(heap.malloc(16) && heap.stats().ntimesArenaAllocated, 2, 'a different class needs a new arena now');
      checkIdentities(heap);
      heap.dispose();
    });
  });
}
