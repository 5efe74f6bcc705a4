// arenas.test.js — the allocator map's figures (web/viz/arenas.js arenaFigures).
// The figures are recomputed from the pools, so they must agree with the
// core's own statistics (the numbers _debugmallocstats prints); the release
// rules are cpython-memory-model.md §1.8/§1.10 (an arena goes back only when
// all its pools are empty, and not when it is the last on usable_arenas).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { arenaFigures, arenaReason, ARENA_SIZE } from '../../web/viz/arenas.js';
import { createHeap } from '../../web/lib/index.js';

describe('arenaFigures on a real heap', () => {
  test('agrees with stats(): bytes in allocated/available blocks, pool counts', async () => {
    const heap = await createHeap();
    try {
      const live = [];
      for (const [size, n] of [[24, 3000], [64, 2000], [200, 300], [512, 40]]) for (let i = 0; i < n; i++) live.push(heap.malloc(size));
      for (let i = 0; i < live.length; i += 3) heap.free(live[i]);
      const stats = heap.stats();
      const f = arenaFigures(heap.arenas(), stats);
      assert.equal(f.bytesInAllocatedBlocks, stats.bytesInAllocatedBlocks);
      assert.equal(f.bytesInAvailableBlocks, stats.bytesInAvailableBlocks);
      assert.equal(f.arenas, stats.narenasCurrentlyAllocated);
      assert.equal(f.mappedBytes, stats.narenasCurrentlyAllocated * ARENA_SIZE);
      const used = stats.classes.reduce((s, c) => s + c.poolsUsed, 0);
      const full = stats.classes.reduce((s, c) => s + c.poolsFull, 0);
      assert.equal(f.pools.used, used);
      assert.equal(f.pools.full, full);
      assert.equal(f.blocksInUse, stats.classes.reduce((s, c) => s + c.blocksInUse, 0));
      assert.equal(f.pools.empty + f.pools.unused, stats.unusedPools);
      assert.ok(f.utilization > 0 && f.utilization < 1);
    } finally {
      heap.dispose();
    }
  });

  test('one live block pins its arena; an all-empty last arena is kept', async () => {
    const heap = await createHeap();
    try {
      const blocks = [];
      for (let i = 0; i < 60000; i++) blocks.push(heap.malloc(64));   // about four 1 MiB arenas of 64-byte blocks
      const before = arenaFigures(heap.arenas(), heap.stats());
      assert.ok(before.arenas >= 3, `expected at least 3 arenas, got ${before.arenas}`);
      const keep = blocks[blocks.length - 1];
      for (const p of blocks) if (p !== keep) heap.free(p);
      const f = arenaFigures(heap.arenas(), heap.stats());
      const pinned = f.perArena.filter((a) => a.reason.code === 'pinned');
      assert.equal(pinned.length, 1, 'the arena of the last block');
      assert.equal(pinned[0].blocksInUse, 1);
      assert.equal(f.pinnedByOnePool, 1);
      assert.equal(f.notReleasable, 1);
      assert.equal(f.reclaimed, f.allocatedTotal - f.arenas);
      assert.ok(f.reclaimed >= 1, 'emptied arenas were given back');
      heap.free(keep);
      const g = arenaFigures(heap.arenas(), heap.stats());
      assert.equal(g.arenas, 1, 'one empty arena remains mapped');
      assert.equal(g.perArena[0].reason.code, 'kept-last');
      assert.equal(g.blocksInUse, 0);
      assert.equal(g.notReleasable, 0);
    } finally {
      heap.dispose();
    }
  });
});

describe('arenaReason on hand-made arenas', () => {
  const pool = (index, count, state, szidx = 3) => ({ index, address: 0, szidx, size: (szidx + 1) * 16, count, capacity: 255, state });
  test('full, several pools, unknown state', () => {
    const full = { index: 0, nfreepools: 0, usableRank: null, pools: [pool(0, 255, 'full'), pool(1, 255, 'full')] };
    assert.equal(arenaReason(full, null).code, 'full');
    const some = { index: 0, nfreepools: 1, usableRank: 0, pools: [pool(0, 3, 'used'), pool(1, 4, 'used'), pool(2, 0, 'empty')] };
    assert.equal(arenaReason(some, 0).code, 'in-use');
    assert.match(arenaReason(some, 0).text, /2 pools hold 7 live blocks/);
    assert.throws(() => arenaFigures([{ ...some, pools: [pool(0, 1, 'odd')] }], {}), /unknown pool state odd/);
  });
});
