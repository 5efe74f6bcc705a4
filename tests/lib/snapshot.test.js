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

    test('{ previous }: what reads the same is the same entry; the answer equals a fresh snapshot', async () => {
      const heap = await heapFor(variant);
      const keep = heap.list([heap.int(1000), heap.str('kept')]);
      const grow = heap.list([]);
      const gone = heap.dict();
      grow.append(gone);
      const big = keep.get(0);
      const s1 = heap.snapshot([keep, grow]);
      // nothing changed: every entry is the previous one
      const s2 = heap.snapshot([keep, grow], { previous: s1 });
      assert.deepEqual(s2, heap.snapshot([keep, grow]));
      assert.equal(s2.objects.length, s1.objects.length);
      s2.objects.forEach((o, i) => assert.equal(o, s1.objects[i], `entry ${i} (${o.type}) reused`));
      // a list grows (refs change), an item leaves it (freed), one object gains a reference
      grow.append(heap.list([]));
      grow.pop(0).release();                        // the dict (appended first: last in the list's traversal)
      gone.release();
      const extra = keep.get(1);                    // a handle: the str's refcount goes up
      const s3 = heap.snapshot([keep, grow], { previous: s2 });
      const fresh = heap.snapshot([keep, grow]);
      assert.deepEqual(s3, fresh);
      const before = new Map(s2.objects.map((o) => [o.id, o]));
      const at = (snap, id) => snap.objects.find((o) => o.id === id);
      assert.equal(at(s3, keep.id), before.get(keep.id), 'the unchanged list is the same entry');
      assert.equal(at(s3, big.id), before.get(big.id), 'the unchanged int too');
      assert.notEqual(at(s3, grow.id), before.get(grow.id), 'a list whose items changed is a new entry');
      assert.notEqual(at(s3, extra.id), before.get(extra.id), 'a refcount that moved makes a new entry');
      assert.equal(at(s3, extra.id).refcount, before.get(extra.id).refcount + 1);
      // a collection moves the survivors to an older generation: new entries, gen 1... as a fresh read says
      heap.gc.collect(0);
      const s4 = heap.snapshot([keep, grow], { previous: s3 });
      assert.deepEqual(s4, heap.snapshot([keep, grow]));
      assert.notEqual(at(s4, keep.id), at(s3, keep.id));
      assert.notEqual(at(s4, keep.id).gen, at(s3, keep.id).gen);
      // a made-up previous with the same ids and numbers but another type name is not trusted
      const forged = { objects: s4.objects.map((o) => ({ ...o, type: `not ${o.type}` })) };
      const s5 = heap.snapshot([keep, grow], { previous: forged });
      assert.deepEqual(s5, heap.snapshot([keep, grow]));
      assert.ok(s5.objects.every((o, i) => o !== forged.objects[i]));
      assert.throws(() => heap.snapshot([keep], { previous: [1, 2] }), { code: 'EINVAL' });
      for (const x of [extra, big, keep, grow]) x.release();
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
