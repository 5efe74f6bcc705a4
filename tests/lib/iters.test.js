// iters.test.js — web/lib's handles on the core's iterator objects
// (heap.iter, PyIterator.next / lengthHint) on the release and debug
// builds, against CPython 3.12's facts in tests/fixtures/iters.txt
// (tests/record/iters.py): type names, sizes, the references an iterator
// holds before and after exhaustion, items, length hints.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VARIANTS, heapFor } from './helpers.js';
import { PyIterator } from '../../web/lib/index.js';

const FIXTURE = new Map(
  readFileSync(new URL('../fixtures/iters.txt', import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
);
const fx = (key) => {
  assert.ok(FIXTURE.has(key), `fixture has no ${key} (re-record tests/fixtures/iters.txt)`);
  return FIXTURE.get(key);
};

for (const variant of VARIANTS) {
  test(`iterators through the handle API (${variant.name})`, async () => {
    const heap = await heapFor(variant);
    try {
      const cases = [
        ['list', heap.list([1, 2, 3])],
        ['tuple', heap.tuple([1, 2, 3])],
        ['dict_keys', heap.dict({ a: 1, b: 2, c: 3 })],
        ['set', heap.set([1, 2, 3])],
        ['bytes', heap.bytes(new Uint8Array([97, 98, 99]))],
        ['str', heap.str('a\u00e9\u20ac')],
      ];
      for (const [kind, seq] of cases) {
        const before = seq.refcount;
        const it = heap.iter(seq);
        assert.ok(it instanceof PyIterator, kind);
        assert.equal(it.typeName, fx(`name.${kind}`), kind);
        assert.equal(it.sizeof, Number(fx(`size.${kind}`)), kind);
        assert.equal(seq.refcount - before, Number(fx(`refs.${kind}`)), kind);
        assert.equal(it.lengthHint(), Number(fx(`hint.${kind}.0`)), kind);
        const items = [];
        for (let x = it.next(); x; x = it.next()) items.push(x);
        assert.equal(heap.list(items).repr(), fx(`items.${kind}`), kind);
        assert.equal(seq.refcount - before, Number(fx(`refs_exhausted.${kind}`)), kind);
        assert.equal(it.next(), null, `${kind}: stays exhausted`);
        assert.equal(it.lengthHint(), 0, kind);
        assert.ok(heap.iter(it).is(it), 'iter(it) is it');
      }
      const r = heap.iter(heap.list([]));
      assert.equal(r.next(), null);
      // a dict that changed size: RuntimeError, as 3.12 says it
      const d = heap.dict({ x: 1 });
      const it = heap.iter(d);
      it.next();
      d.set('y', 2);
      assert.throws(() => it.next(), (e) => e.code === 'EPYTHON' && `${e.pyType}: ${e.pyMessage}` === fx('err.dict_grow'));
      // bad input
      assert.throws(() => heap.iter(heap.int(5)), (e) => e.code === 'EPYTHON' && e.pyMessage === "'int' object is not iterable");
    } finally {
      heap.dispose();
    }
  });
}
