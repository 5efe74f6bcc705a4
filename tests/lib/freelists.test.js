// freelists.test.js — Heap.freeLists(): the object free lists of CPython 3.12
// (reference §3.5: float 100, list 80, dict 80, 8-slot str-keyed dict keys 80,
// tuple 2000 per length 1..20). Objects released beyond a limit go back to
// pymalloc; reuse pops from the free list.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, heapFor } from './helpers.js';

const LIMITS = { float: 100, list: 80, dict: 80, dictKeys: 80, tuple: 2000 };

/** Make n objects with make(i), then release them all; returns nothing. */
function churn(n, make) {
  const objs = [];
  for (let i = 0; i < n; i++) objs.push(make(i));
  for (const o of objs) o.release();
}

for (const variant of VARIANTS) {
  describe(`free lists (${variant.name} wasm)`, () => {
    test('a fresh heap has empty free lists with 3.12 limits', async () => {
      const heap = await heapFor(variant);
      const fl = heap.freeLists();
      for (const k of ['float', 'list', 'dict', 'dictKeys']) assert.deepEqual(fl[k], { count: 0, limit: LIMITS[k] }, k);
      assert.equal(fl.tuple.length, 20);
      fl.tuple.forEach((t, i) => assert.deepEqual(t, { length: i + 1, count: 0, limit: LIMITS.tuple }));
      heap.dispose();
    });

    test('released floats, lists and dicts fill their lists up to the limit', async () => {
      const heap = await heapFor(variant);
      churn(150, (i) => heap.float(i + 0.5));
      churn(120, () => heap.list([]));
      churn(120, () => heap.dict([['a', 1]]));   // str-keyed 8-slot keys too
      const fl = heap.freeLists();
      assert.equal(fl.float.count, 100);
      assert.equal(fl.list.count, 80);
      assert.equal(fl.dict.count, 80);
      assert.equal(fl.dictKeys.count, 80);
      // reuse takes from the list
      const f = heap.float(1.25);
      assert.equal(heap.freeLists().float.count, 99);
      f.release();
      assert.equal(heap.freeLists().float.count, 100);
      heap.dispose();
    });

    test('tuples are kept per length; int-keyed dict keys are not kept', async () => {
      const heap = await heapFor(variant);
      churn(5, () => heap.tuple([1, 2, 3]));
      churn(2, () => heap.tuple([1]));
      churn(3, () => heap.dict([[1, 1]]));
      const fl = heap.freeLists();
      assert.equal(fl.tuple[2].count, 5);
      assert.equal(fl.tuple[0].count, 2);
      assert.equal(fl.tuple[1].count, 0);
      assert.equal(fl.dictKeys.count, 0);
      assert.equal(fl.dict.count, 3);
      heap.dispose();
    });

    test('a disposed heap refuses', async () => {
      const heap = await heapFor(variant);
      heap.dispose();
      assert.throws(() => heap.freeLists(), { code: 'EDEAD' });
    });
  });
}
