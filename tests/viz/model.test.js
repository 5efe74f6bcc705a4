// model.test.js — the heap graph's view-model (web/viz/model.js): diffing
// snapshots by id (enter/update/exit), immortal visibility, referrers, and
// backChain. Synthetic snapshots test the rules exactly; one test runs on a
// real heap so the snapshot's shape and the view-model stay in step.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GraphModel, backChain, visibleGraph, referrers, objectKey, badges, genClass } from '../../web/viz/model.js';
import { createHeap } from '../../web/lib/index.js';

/** A snapshot object with defaults (type list, gen 0, tracked, reachable). */
const obj = (id, refs = [], extra = {}) => ({
  id, type: 'list', typeId: 100, refcount: 1, size: 56, gen: 0, immortal: false, finalized: false,
  gcType: true, root: false, reachable: true, refs, ...extra,
});
const none = (id) => obj(id, [], { type: 'NoneType', typeId: 7, immortal: true, refcount: 4294967295, gen: null, gcType: false, size: 16 });
const keysOf = (nodes) => nodes.map((n) => n.key).sort();

describe('GraphModel.update: enter / update / exit by id', () => {
  test('first snapshot: everything enters, names included', () => {
    const m = new GraphModel();
    const d = m.update({ objects: [obj(1, [2]), obj(2)] }, [{ name: 'x', id: 1 }]);
    assert.deepEqual(keysOf(d.enter), ['n:x', 'o1:100', 'o2:100']);
    assert.equal(d.update.length, 0);
    assert.equal(d.exit.length, 0);
    assert.deepEqual(d.links.map((l) => `${l.source}>${l.target}`).sort(), ['n:x>o1:100', 'o1:100>o2:100']);
  });

  test('kept objects are the same node objects; changes are named; freed objects exit', () => {
    const m = new GraphModel();
    m.update({ objects: [obj(1, [2]), obj(2), obj(3)] }, [{ name: 'x', id: 1 }]);
    const before = m.nodes.get('o1:100');
    const d = m.update({ objects: [obj(1, [2, 4], { refcount: 2 }), obj(2), obj(4)] }, [{ name: 'x', id: 1 }]);
    assert.equal(m.nodes.get('o1:100'), before, 'persistent node');
    assert.deepEqual(keysOf(d.enter), ['o4:100']);
    assert.deepEqual(keysOf(d.exit), ['o3:100']);
    assert.deepEqual(before.changed, ['refcount', 'refs']);
    assert.deepEqual(m.nodes.get('o2:100').changed, []);
  });

  test('an address reused by an object of another type is a new node', () => {
    const m = new GraphModel();
    m.update({ objects: [obj(1)] }, []);
    const d = m.update({ objects: [obj(1, [], { type: 'dict', typeId: 200 })] }, []);
    assert.deepEqual(keysOf(d.enter), ['o1:200']);
    assert.deepEqual(keysOf(d.exit), ['o1:100']);
  });

  test('entering nodes are seeded at their first referrer; names at their object', () => {
    const m = new GraphModel();
    m.update({ objects: [obj(1, [])] }, [{ name: 'x', id: 1 }]);
    const d = m.update({ objects: [obj(1, [5, 6]), obj(5, [6]), obj(6)] }, [{ name: 'x', id: 1 }, { name: 'y', id: 6 }]);
    const seed = Object.fromEntries(d.enter.map((n) => [n.key, n.seed]));
    assert.deepEqual(seed, { 'o5:100': 'o1:100', 'o6:100': 'o1:100', 'n:y': 'o6:100' });
  });

  test('an unbound name exits; rebinding changes its target', () => {
    const m = new GraphModel();
    m.update({ objects: [obj(1), obj(2)] }, [{ name: 'x', id: 1 }, { name: 'y', id: 1 }]);
    const d = m.update({ objects: [obj(1), obj(2)] }, [{ name: 'x', id: 2 }]);
    assert.deepEqual(keysOf(d.exit), ['n:y']);
    assert.deepEqual(m.nodes.get('n:x').changed, ['target']);
    assert.equal(m.nodes.get('n:x').target, 'o2:100');
  });

  test('bad input is refused with a message', () => {
    const m = new GraphModel();
    assert.throws(() => m.update(null, []), /snapshot.objects/);
    assert.throws(() => m.update({ objects: [] }, [{ name: 'x' }]), /names must be/);
    assert.throws(() => m.update({ objects: [obj(1)] }, [{ name: 'x', id: 1 }, { name: 'x', id: 1 }]), /listed twice/);
    assert.throws(() => visibleGraph({ objects: [] }, [], { immortals: 'some' }), /immortals must be/);
  });
});

describe('immortal objects', () => {
  const snap = { objects: [obj(1, [9]), none(9), obj(3, [], { type: 'int', typeId: 5, immortal: true, gen: null, gcType: false }), none(8)] };
  test("'referenced' (default): shown when a name or a mortal container refers to them", () => {
    const v = visibleGraph(snap, [{ name: 'z', id: 8 }]);
    assert.deepEqual([...v.byId.keys()].sort(), [1, 8, 9]);
  });
  test("'hidden' drops them and their edges; 'all' keeps every one", () => {
    const h = visibleGraph(snap, [], { immortals: 'hidden' });
    assert.deepEqual([...h.byId.keys()], [1]);
    assert.equal(h.links.length, 0);
    assert.equal(visibleGraph(snap, [], { immortals: 'all' }).objects.length, 4);
  });
  test('badges and colour classes', () => {
    assert.deepEqual(badges(none(1)), ['immortal']);
    assert.deepEqual(badges(obj(1, [], { gen: null })), ['untracked']);
    assert.deepEqual(badges(obj(1, [], { gen: null, gcType: false })), ['no GC head']);
    assert.deepEqual(badges(obj(1, [], { finalized: true, reachable: false })), ['finalized', 'unreachable']);
    assert.equal(genClass(obj(1, [], { gen: 2 })), 'gen2');
    assert.equal(genClass(obj(1, [], { gen: 'permanent' })), 'permanent');
    assert.equal(genClass(none(1)), 'immortal');
  });
});

describe('backChain', () => {
  //  a -> 1 -> 2 -> 3 -> 4 ;  b -> 5 -> 4 ;  6 <-> 7 (no name)
  const snap = { objects: [obj(1, [2]), obj(2, [3]), obj(3, [4]), obj(4), obj(5, [4]), obj(6, [7]), obj(7, [6])] };
  const names = [{ name: 'a', id: 1 }, { name: 'b', id: 5 }];
  test('shortest chain from a name', () => {
    assert.deepEqual(backChain(snap, 4, names), { name: 'b', ids: [5, 4] });
    assert.deepEqual(backChain(snap, 3, names), { name: 'a', ids: [1, 2, 3] });
  });
  test('a named object is its own chain; ties go to the earlier name', () => {
    assert.deepEqual(backChain(snap, 1, names), { name: 'a', ids: [1] });
    const tie = { objects: [obj(1, [3]), obj(2, [3]), obj(3)] };
    assert.deepEqual(backChain(tie, 3, [{ name: 'p', id: 1 }, { name: 'q', id: 2 }]), { name: 'p', ids: [1, 3] });
    assert.deepEqual(backChain(tie, 3, [{ name: 'q', id: 2 }, { name: 'p', id: 1 }]), { name: 'q', ids: [2, 3] });
  });
  test('garbage and unknown ids have none', () => {
    assert.equal(backChain(snap, 6, names), null);
    assert.equal(backChain(snap, 99, names), null);
    assert.equal(backChain(snap, 4, []), null);
  });
  test('cycles on the way do not loop', () => {
    const cyc = { objects: [obj(1, [2]), obj(2, [1, 3]), obj(3, [3])] };
    assert.deepEqual(backChain(cyc, 3, [{ name: 'r', id: 1 }]), { name: 'r', ids: [1, 2, 3] });
  });
});

describe('details on a real heap', () => {
  test('referrers, names, back chain and references from outside the graph', async () => {
    const heap = await createHeap();
    try {
      const d = heap.dict({ k: 1000 });
      const rows = heap.list([d, d]);       // the dict is held twice by the list
      const extra = d.dup();                // a handle the graph is not told about
      const snap = heap.snapshot([rows, d]);
      const m = new GraphModel();
      m.update(snap, [{ name: 'rows', id: rows.id }, { name: 'first', id: d.id }]);
      const key = objectKey(snap.objects.find((o) => o.id === d.id));
      const det = m.details(key);
      assert.equal(det.type, 'dict');
      assert.equal(det.refcount, d.refcount);
      assert.deepEqual(det.heldBy, [{ id: rows.id, type: 'list', count: 2 }]);
      assert.deepEqual(det.names, ['first']);
      // refcount = 2 (list) + 1 (name 'first') + 1 (the extra handle)
      assert.equal(det.unseen, d.refcount - 3);
      assert.equal(det.unseen, 1);
      assert.deepEqual(det.chain, { name: 'first', ids: [d.id] });
      assert.deepEqual(referrers(snap).get(d.id), [rows.id]);
      extra.release();
      rows.release();
      d.release();
    } finally {
      heap.dispose();
    }
  });
});
