// cascade.test.js — deep deallocation cascades in wasm.
//
// Dropping the last reference to a 1,000,000-deep nested list (`x = [x]`
// repeated) frees every level by reference counting. CPython bounds the C
// recursion with the trashcan (50 nested deallocations, then deferral;
// reference §3.7); wasm's stack is small (1 MiB here), so without it this
// would trap with "call stack exhausted". The heap must come back to where it
// was, except for the list objects CPython's free list keeps (at most 80,
// reference §3.5).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { heapFor } from './helpers.js';

const N = 1_000_000;
const LIST_MAXFREELIST = 80;

const variants = [
  { name: 'release', options: {} },
  // debug wasm (PM_DEBUG fills), without the per-call checker: it would
  // walk the whole heap a million times
  { name: 'debug', options: { debug: true, debugChecks: false } },
];

for (const variant of variants) {
  describe(`deep cascades (${variant.name} wasm)`, () => {
    test(`a ${N.toLocaleString('en')}-deep nested list is freed by dropping its head`, async () => {
      const heap = await heapFor(variant);
      const blocks = () => heap.stats().classes.reduce((n, c) => n + c.blocksInUse, 0);
      const before = blocks();
      let x = heap.list([]);
      for (let i = 1; i < N; i++) {
        const y = heap.list([x]);        // y = [x]
        x.release();                     // drop the name: y holds the only reference
        x = y;
      }
      assert.equal(x.refcount, 1);
      assert.ok(blocks() >= before + 2 * N - LIST_MAXFREELIST, 'every level holds a list object and an item array');
      x.release();                       // del x: the whole chain goes
      const after = blocks();
      assert.ok(after >= before && after <= before + LIST_MAXFREELIST,
        `blocks in use after the cascade: ${after}, before: ${before} (free list may keep up to ${LIST_MAXFREELIST})`);
      assert.equal(heap.check(), true);
      heap.dispose();
    });
  });
}
