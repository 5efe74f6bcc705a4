// gcwalk.test.js — walkModel (web/viz/gcwalk-model.js) on traces of real
// collections run through the JS API (web/app/steps/gc-scenarios.js), in both
// wasm builds.
//
// Expected values come from tests/fixtures/gcwalk.txt (tests/record/gcwalk.py
// under CPython 3.12.1): what gc.collect() returned, the order of __del__ and
// weakref callbacks, each named object's refcount before the collection (the
// gc_refs update_refs copies) and which objects are alive after it. Which
// names a scenario drops into a cycle (`garbage`) is the program's design.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { walkModel, PHASES, labelOf, graphLayout } from '../../web/viz/gcwalk-model.js';
import { GC_SCENARIOS, runGcScenario } from '../../web/app/steps/gc-scenarios.js';
import { VARIANTS, heapFor } from '../lib/helpers.js';

const FX = new Map();
for (const line of readFileSync(new URL('../fixtures/gcwalk.txt', import.meta.url), 'utf8').split('\n')) {
  if (!line || line.startsWith('#')) continue;
  const sp = line.indexOf(' ');
  FX.set(line.slice(0, sp), line.slice(sp + 1));
}
const fx = (key) => {
  assert.ok(FX.has(key), `fixture case ${key}`);
  return FX.get(key);
};
const names = (s) => (s === '-' ? [] : s.split(','));
const phase = (walk, name) => {
  const p = walk.find((x) => x.name === name);
  assert.ok(p, `phase ${name}`);
  return p;
};
const sorted = (a) => [...a].sort((x, y) => x - y);

for (const variant of VARIANTS) {
  describe(`gc.collect() walk (${variant.name} wasm)`, () => {
    for (const [name, sc] of Object.entries(GC_SCENARIOS)) {
      test(`${name}: ${sc.title}`, async () => {
        const heap = await heapFor(variant);
        const run = runGcScenario(heap, name);
        const { trace, snapshot, returned, log, ids } = run;
        const walk = walkModel(trace, snapshot);
        assert.deepEqual(walk.map((p) => p.name), PHASES);
        for (const p of walk) {
          assert.ok(p.title && p.explain, `${p.name} has a title and an explanation`);
          for (const o of p.objects) assert.ok(o.why && o.state && o.type, `${p.name}: ${JSON.stringify(o)}`);
        }

        // what gc.collect() returned: CPython's number, and the walk's
        assert.equal(returned, Number(fx(`collect.${name}`)));
        const result = phase(walk, 'result');
        assert.equal(result.counts.returned, returned);
        assert.equal(result.counts.collected + result.counts.uncollectable, returned);
        assert.equal(result.counts.uncollectable, 0);
        assert.match(result.explain, new RegExp(`returns ${returned}:`));

        // __del__ and weakref callbacks ran in CPython's order
        assert.deepEqual(log, names(fx(`order.${name}`)));

        const idName = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
        const garbage = sc.garbage.map((k) => ids[k]);
        const alive = new Set(names(fx(`alive.${name}`)));

        // update_refs: gc_refs = the refcount CPython had for each named object
        const copied = phase(walk, 'update_refs');
        for (const [k, id] of Object.entries(ids)) {
          const key = `refcount.${name}.${k}`;
          if (!FX.has(key)) continue;
          const o = copied.objects.find((x) => x.id === id);
          assert.ok(o, `${k} examined`);
          assert.equal(o.gcRefs, Number(fx(key)), `gc_refs of ${k} after update_refs`);
          assert.equal(o.type, snapshot.objects.find((x) => x.id === id).type);
        }

        // subtract_refs: the cycle's members have gc_refs 0
        const sub = phase(walk, 'subtract_refs');
        for (const id of garbage) {
          const o = sub.objects.find((x) => x.id === id);
          assert.equal(o.gcRefs, 0, `${idName.get(id)} after subtract_refs`);
          assert.equal(o.state, 'internal');
        }
        assert.equal(sub.counts.external + sub.counts.internal, copied.counts.examined);

        // move_unreachable: exactly the dropped cycle
        const mu = phase(walk, 'move_unreachable');
        const unreachable = mu.objects.filter((o) => o.state === 'unreachable');
        if (sc.unnamed) {
          assert.equal(unreachable.length, Number(fx(`collect.${name}`)));   // all of them unreachable, nothing else
          assert.ok(unreachable.every((o) => o.type === 'list' && o.gcRefs === 0));
          garbage.push(...unreachable.map((o) => o.id));
        }
        assert.deepEqual(sorted(unreachable.map((o) => o.id)), sorted(garbage));
        assert.equal(mu.counts.unreachable, garbage.length);

        // resurrected: the dropped objects CPython found alive afterwards; freed: the others
        const resurrected = phase(walk, 'handle_resurrected').objects.map((o) => o.id);
        assert.deepEqual(sorted(resurrected), sorted(garbage.filter((id) => alive.has(idName.get(id)))));
        const del = phase(walk, 'delete_garbage');
        const freed = del.objects.filter((o) => o.state === 'freed').map((o) => o.id);
        assert.deepEqual(sorted(freed), sorted(garbage.filter((id) => !alive.has(idName.get(id)))));
        assert.equal(del.objects.filter((o) => o.state === 'survived').length, 0);

        // finalizers: in CPython's __del__ order
        const fin = phase(walk, 'finalize_garbage').objects.map((o) => idName.get(o.id));
        const logNames = log.filter((s) => !s.startsWith('wr:'));
        assert.deepEqual(fin, logNames);            // each object's name is its Python name

        // per-scenario reasons
        // the small graph's columns: outside-referenced first, the unreachable set last
        const { pos, columns } = graphLayout(walk);
        assert.equal(pos.size, copied.counts.examined);
        for (const id of garbage) assert.equal(pos.get(id).x, columns - 1, `${idName.get(id)} in the last column`);
        for (const o of sub.objects) if (o.state === 'external') assert.equal(pos.get(o.id).x, 0);
        if (name === 'kept_alive') {
          assert.equal(pos.get(ids.a).x, 0);
          assert.equal(pos.get(ids.b).x, 1);            // reached from a in one step
        }
        if (name === 'kept_alive') {
          const a = mu.objects.find((o) => o.id === ids.a), b = mu.objects.find((o) => o.id === ids.b);
          assert.equal(a.state, 'reachable');
          assert.equal(b.state, 'reachable');
          assert.equal(sub.objects.find((o) => o.id === ids.a).state, 'external');
          assert.equal(b.gcRefs, 0);
          assert.ok(b.why.includes(labelOf({ id: ids.a, type: 'list' })), b.why);   // reached from a
        }
        if (name === 'weakref_callback') {
          const wr = phase(walk, 'handle_weakrefs');
          assert.equal(wr.counts.callbacks, 1);
          const r = wr.objects.find((o) => o.id === ids.r);
          assert.ok(r, 'the weakref is listed as cleared');
          assert.equal(r.state, 'callback');
          assert.ok(r.why.includes(labelOf({ id: ids.a, type: 'Marked' })), r.why);   // its referent, from the snapshot's weakRefs
          assert.equal(sub.objects.find((o) => o.id === ids.r).state, 'external');
        }
        if (name === 'self_cycle') {
          assert.equal(copied.objects.find((o) => o.id === ids.l).type, 'list');
          assert.match(del.objects[0].why, /tp_clear/);
        }
        if (name === 'resurrect') {
          const hr = phase(walk, 'handle_resurrected');
          assert.equal(hr.counts.resurrected, 2);
          // p's __del__ stored p (SAVED): a reference from outside; m comes back because p refers to it
          assert.ok(hr.objects.find((o) => o.id === ids.p).gcRefs > 0);
          const m = hr.objects.find((o) => o.id === ids.m);
          assert.equal(m.gcRefs, 0);
          assert.ok(m.why.startsWith(`${labelOf({ id: ids.p, type: 'Phoenix' })}, which a finalizer resurrected`), m.why);
          assert.equal(result.counts.collected, 0);
        }

        assert.deepEqual(run.world.errors, []);
        run.release();
        assert.equal(heap.check(), true);
        heap.dispose();
      });
    }

    test('untracking and a weakref that is garbage itself', async () => {
      const heap = await heapFor(variant);
      const K = heap.class('K');
      const a = K.new(), b = K.new();
      a.setattr('other', b);
      b.setattr('other', a);
      const ra = heap.weakref(a);
      b.setattr('ref', ra);                          // the weakref is in the cycle's garbage
      const t = heap.tuple([1000, 'x']);              // atoms only: untracked by the collection
      const snapshot = heap.snapshot([t]);
      const ids = { a: a.id, b: b.id, ra: ra.id, t: t.id };
      for (const h of [a, b, ra]) h.release();
      heap.gc.trace(true);
      const returned = heap.gc.collect();
      const walk = walkModel(heap.gc.lastTrace(), snapshot);
      heap.gc.trace(false);
      assert.equal(phase(walk, 'result').counts.returned, returned);
      const un = phase(walk, 'untrack').objects;
      assert.ok(un.some((o) => o.id === ids.t && o.type === 'tuple' && /tuple/.test(o.why)));
      const wr = phase(walk, 'handle_weakrefs').objects.find((o) => o.id === ids.ra);
      assert.ok(wr, 'the garbage weakref is cleared');
      assert.match(wr.why, /garbage itself/);
      assert.ok(phase(walk, 'move_unreachable').objects.some((o) => o.id === ids.ra && o.state === 'unreachable'));
      for (const h of [t, K]) h.release();
      heap.gc.collect();
      assert.equal(heap.check(), true);
      heap.dispose();
    });
  });
}

for (const variant of VARIANTS) {
  test(`DEBUG_SAVEALL: the garbage is saved in gc.garbage, not cleared (${variant.name} wasm)`, async () => {
    const heap = await heapFor(variant);
    heap.gc.collect();
    heap.gc.setDebug(heap.gc.DEBUG_SAVEALL);
    const l = heap.list([]);
    l.append(l);
    const id = l.id;
    const snapshot = heap.snapshot([]);
    l.release();
    heap.gc.trace(true);
    const returned = heap.gc.collect();
    const walk = walkModel(heap.gc.lastTrace(), snapshot);
    heap.gc.trace(false);
    heap.gc.setDebug(0);
    assert.equal(returned, Number(fx('collect.saveall')));
    assert.equal(phase(walk, 'result').counts.returned, returned);
    const del = phase(walk, 'delete_garbage').objects;
    assert.deepEqual(del.map((o) => [o.id, o.state]), [[id, 'saved']]);
    assert.match(del[0].why, /gc\.garbage/);
    const garbage = heap.gc.garbage;
    assert.equal(garbage.length, Number(fx('garbage.saveall')));
    garbage.delete(0);
    garbage.release();
    heap.gc.collect();
    assert.equal(heap.check(), true);
    heap.dispose();
  });
}

test('walkModel refuses what is not a trace of a collection', () => {
  assert.throws(() => walkModel(null, null), /lastTrace/);
  assert.throws(() => walkModel({ generation: null, phases: {} }, null), /no collection/);
});
