// snapshot.test.js — Heap.snapshot(): the graph the visualizer draws.
// Expected values follow from the graph built and reference facts: a list
// is a GC type tracked in generation 0 at creation; ints are not GC objects;
// getsizeof([x, y]) = 56 + 8*2 (display of 2 items, §2.6), getsizeof(1000)
// = 28; None is immortal (refcount 4294967295); gc.get_referents visits list
// items last to first (measured on 3.12: [3, 2, 1] for [1, 2, 3]).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, heapFor } from './helpers.js';

for (const variant of VARIANTS) {
  describe(`snapshot (${variant.name} wasm)`, () => {
    test('roots, referents, flags and sizes; nothing changes', async () => {
      const heap = await heapFor(variant);
      const big = heap.int(1000);
      const inner = heap.list([]);
      const outer = heap.list([big, inner]);
      inner.append(outer);                         // a cycle
      const before = outer.refcount;
      const snap = heap.snapshot([outer]);
      const byId = new Map(snap.objects.map((o) => [o.id, o]));
      const o = byId.get(outer.id);
      assert.equal(snap.objects[0].id, outer.id);
      assert.equal(o.type, 'list');
      assert.equal(o.root, true);
      assert.equal(o.reachable, true);
      assert.equal(o.gen, 0);
      assert.equal(o.gcType, true);
      assert.equal(o.size, 56 + 8 * 2);
      assert.deepEqual(o.refs, [inner.id, big.id]);
      assert.equal(o.refcount, before);
      const b = byId.get(big.id);
      assert.equal(b.type, 'int');
      assert.equal(b.gen, null);
      assert.equal(b.size, 28);
      assert.equal(b.gcType, false);
      assert.deepEqual(byId.get(inner.id).refs, [outer.id]);
      assert.equal(outer.refcount, before);
      heap.dispose();
    });

    test('a dropped cycle is listed as unreachable; immortals are flagged', async () => {
      const heap = await heapFor(variant);
      const a = heap.list([]);
      const b = heap.list([a, null]);
      a.append(b);
      const ids = [a.id, b.id];
      a.release();
      b.release();
      const none = heap.none;
      const snap = heap.snapshot([none]);
      assert.equal(snap.objects[0].immortal, true);
      assert.equal(snap.objects[0].refcount, 4294967295);
      for (const id of ids) {
        const rec = snap.objects.find((o) => o.id === id);
        assert.ok(rec, 'cycle member listed');
        assert.equal(rec.reachable, false);
      }
      heap.dispose();
    });

    test('weak references: the referent as weakRefs, not refs; only weakly reached is not reachable', async () => {
      const heap = await heapFor(variant);
      const K = heap.class('K');
      const k = K.new();
      const r = heap.weakref(k);
      const s = heap.set([]);                      // sets can be weakly referenced too
      const p = heap.proxy(s);
      const snap = heap.snapshot([r, p]);
      const byId = new Map(snap.objects.map((o) => [o.id, o]));
      assert.deepEqual(byId.get(r.id).weakRefs, [k.id]);
      assert.equal(byId.get(r.id).refs.includes(k.id), false);
      assert.deepEqual(byId.get(p.id).weakRefs, [s.id]);
      assert.equal(byId.get(r.id).reachable, true);
      const rk = byId.get(k.id);
      assert.ok(rk, 'the referent is listed');
      assert.equal(rk.weakRefs, undefined);
      const rs = byId.get(s.id);
      assert.ok(rs, 'the proxy\'s referent is listed');
      assert.equal(rs.reachable, false);           // reached only through the proxy (the handle is no root)
      // a weakref never counts as a strong reference: the referent's refcount is the handle's only
      assert.equal(rs.refcount, 1);
      // rooted strongly too: reachable
      assert.equal(heap.snapshot([p, s]).objects.find((o) => o.id === s.id).reachable, true);
      // dead: no weak edge
      s.release();
      const dead = heap.snapshot([p]).objects.find((o) => o.id === p.id);
      assert.equal(dead.weakRefs, undefined);
      for (const x of [r, p, k, K]) x.release();
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('roots may be object ids (a snapshot entry\'s id): the same graph as from the handle', async () => {
      const heap = await heapFor(variant);
      const l = heap.list([heap.str('only here'), 7]);
      const byHandle = heap.snapshot([l]);
      const byId = heap.snapshot([l.id]);
      assert.deepEqual(byId, byHandle);
      const rec = byId.objects.find((o) => o.id === l.id);
      assert.equal(rec.root, true);
      assert.equal(rec.refcount, 1, 'an id adds no reference');
      l.release();
      heap.dispose();
    });

    test('bad roots are refused', async () => {
      const heap = await heapFor(variant);
      assert.throws(() => heap.snapshot([1]), { code: 'EBADPTR' });   // an id that is no object
      assert.throws(() => heap.snapshot(['x']), { code: 'EINVAL' });
      assert.throws(() => heap.snapshot([-8]), { code: 'EINVAL' });
      assert.throws(() => heap.snapshot(5), { code: 'EINVAL' });
      const other = await heapFor(variant);
      const x = other.list([]);
      assert.throws(() => heap.snapshot([x]), { code: 'ESTALE' });
      other.dispose();
      heap.dispose();
    });
  });
}
