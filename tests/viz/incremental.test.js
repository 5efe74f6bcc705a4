// incremental.test.js — the checks that let the views skip work on a step
// (issue 7): the graph model's per-object change test and its links built
// from the nodes (equal to visibleGraph's), the timeline's equal-series test
// and its per-pixel thinning, the allocator map's signature. Each skip is
// only sound if "same" really means "draws the same", so these are tested
// against the full computations they stand in for.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GraphModel, visibleGraph, visibleObjects, changedFields, objectKey } from '../../web/viz/model.js';
import { sameSeries, thinSeries, stepLabel, sameExtent } from '../../web/viz/timeline.js';
import { allocatorSignature } from '../../web/viz/arenas.js';
import { scaleLinear } from 'd3-scale';
import { createHeap } from '../../web/lib/index.js';

const obj = (id, refs = [], extra = {}) => ({
  id, type: 'list', typeId: 100, refcount: 1, size: 56, gen: 0, immortal: false, finalized: false,
  gcType: true, root: false, reachable: true, refs, ...extra,
});
const none = (id) => obj(id, [], { type: 'NoneType', typeId: 7, immortal: true, refcount: 4294967295, gen: null, gcType: false, size: 16 });

describe('graph model: incremental diff', () => {
  test('changedFields names every changed field, and nothing for an equal object', () => {
    const a = obj(1, [2, 3]);
    assert.deepEqual(changedFields(a, a), []);
    assert.deepEqual(changedFields(a, obj(1, [2, 3])), []);
    assert.deepEqual(changedFields(a, obj(1, [2, 3], { refcount: 2, gen: 1 })), ['refcount', 'gen']);
    assert.deepEqual(changedFields(a, obj(1, [3, 2])), ['refs']);
    assert.deepEqual(changedFields(a, obj(1, [2])), ['refs']);
    assert.deepEqual(changedFields(a, obj(1, [2, 3], { size: 64, finalized: true, reachable: false, immortal: true })),
      ['size', 'finalized', 'reachable', 'immortal']);
  });

  test('changedFields gives one shared, frozen list per combination of changed fields (no array made per object)', () => {
    const a = obj(1, [2, 3]);
    const twice = [changedFields(a, obj(1, [2, 3], { refcount: 2 })), changedFields(obj(5, [7]), obj(5, [7], { refcount: 9 }))];
    assert.equal(twice[0], twice[1]);
    assert.ok(Object.isFrozen(twice[0]));
    assert.equal(changedFields(a, obj(1, [2, 3])), changedFields(obj(4), obj(4)));
    // every one of the 128 combinations, in the fields' order
    const fields = ['refcount', 'size', 'gen', 'finalized', 'reachable', 'immortal', 'refs'];
    const change = { refcount: 7, size: 99, gen: 2, finalized: true, reachable: false, immortal: true };
    for (let m = 0; m < 128; m++) {
      const want = fields.filter((_, i) => m & (1 << i));
      const extra = {};
      for (const f of want) if (f !== 'refs') extra[f] = change[f];
      assert.deepEqual(changedFields(a, obj(1, want.includes('refs') ? [3] : [2, 3], extra)), want);
    }
  });

  test("the model's links equal visibleGraph's (by key), weak and immortal links included, step after step", () => {
    const steps = [
      { objects: [obj(1, [2, 9]), obj(2, [1]), none(9), obj(4, [], { weakRefs: [2, 2] })] },
      { objects: [obj(1, [2, 9, 5]), obj(2, [1]), none(9), obj(5, [9]), obj(4, [], { weakRefs: [5] })] },
      { objects: [obj(1, [5]), obj(5, [5]), obj(4, [], { type: 'dict', typeId: 200 })] },
      { objects: [obj(1, [2, 9, 5]), obj(2, [1]), none(9), obj(5, [9])] },
    ];
    // an immortal container (20) whose references stay the same while what they reach comes and goes from view
    const tuple = (refs) => obj(20, refs, { type: 'tuple', typeId: 30, immortal: true, gen: null });
    const more = [
      { objects: [obj(1, [20, 9]), tuple([9]), none(9)] },
      { objects: [obj(1, [20]), tuple([9]), none(9)] },
      { objects: [obj(1, [20, 9]), tuple([9]), none(9)] },
      { objects: [obj(1, [20, 9]), tuple([9]), none(9), obj(3, [3], { weakRefs: [1] })] },
      { objects: [obj(1, [20, 9]), tuple([9]), none(9), obj(3, [3])] },
    ];
    for (const names of [[{ name: 'x', id: 1 }, { name: 'n', id: 9 }], [{ name: 'x', id: 20 }]]) for (const immortals of ['referenced', 'hidden', 'all', 'referenced']) {
      const m = new GraphModel();
      for (const snap of [...steps, ...more, ...steps]) {
        const d = m.update(snap, names, { immortals });
        const vis = visibleGraph(snap, names, { immortals });
        const key = (id) => objectKey(vis.byId.get(id));
        const want = vis.links.map((l) => `${key(l.source)}>${key(l.target)}${l.weak ? ' weak' : ''}`);
        for (const n of names) if (vis.byId.has(n.id)) want.push(`n:${n.name}>${key(n.id)}`);
        const got = d.links.map((l) => `${l.source}>${l.target}${l.weak ? ' weak' : ''}`);
        assert.deepEqual(got.sort(), want.sort(), `${immortals}: links`);
        // each link's two nodes, as the view sends them to the layout
        assert.equal(m.ends.length, 2 * d.links.length);
        d.links.forEach((l, i) => {
          assert.equal(m.ends[2 * i], m.nodes.get(l.source));
          assert.equal(m.ends[2 * i + 1], m.nodes.get(l.target));
        });
        assert.deepEqual(visibleObjects(snap, names, { immortals }).objects, vis.objects);
        assert.equal(m.byId.size, vis.objects.length);
        for (const o of vis.objects) assert.equal(m.byId.get(o.id).key, objectKey(o));
      }
    }
  });

  test('objects listed in another order, a list growing at the end and changed in the middle: the same nodes, links and seeds as a fresh model', () => {
    let seed = 7;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const m = new GraphModel();
    let items = [11, 12, 13, 14, 15];
    let nodesBefore = null;
    for (let step = 0; step < 40; step++) {
      if (step % 3 === 0) items = [...items, 100 + step];                    // append
      else if (step % 3 === 1) items = items.map((x, i) => (i === 2 ? 200 + step : x)); // replace in the middle
      else items = items.slice(1);                                            // drop the first
      // two containers refer to every item: an entering item is seeded at whichever comes first
      const objs = [obj(1, items), obj(2, [...items].reverse()), ...items.map((x) => obj(x, x % 2 ? [1] : []))];
      if (step % 2) objs.sort(() => rand() - 0.5);                          // another order
      const snap = { objects: objs };
      const names = [{ name: 'xs', id: 1 }];
      const d = m.update(snap, names);
      const fresh = new GraphModel().update(snap, names);
      assert.deepEqual(d.links.map((l) => `${l.source}>${l.target}`), fresh.links.map((l) => `${l.source}>${l.target}`), `step ${step}: links`);
      // an entering object is seeded at its first referrer in the snapshot's order
      const first = new Map();
      for (const o of objs) for (const r of o.refs) if (r !== o.id && !first.has(r)) first.set(r, objectKey(o));
      for (const node of d.enter) {
        if (node.kind === 'object') assert.equal(node.seed, first.get(node.id) ?? null, `step ${step}: ${node.key} seeded at its first referrer`);
      }
      for (const o of objs) assert.equal(m.byId.get(o.id).obj, o, `step ${step}: ${o.id} found`);
      if (nodesBefore) for (const [key, node] of m.nodes) if (nodesBefore.has(key)) assert.equal(node, nodesBefore.get(key), `step ${step}: ${key} kept its node`);
      nodesBefore = new Map(m.nodes);
    }
  });

  test('an address reused by another type: the old node exits, the new one enters with its own key', () => {
    const m = new GraphModel();
    m.update({ objects: [obj(1, [2]), obj(2)] }, []);
    const d = m.update({ objects: [obj(1, [2]), obj(2, [], { type: 'dict', typeId: 200 })] }, []);
    assert.deepEqual(d.enter.map((n) => n.key), ['o2:200']);
    assert.deepEqual(d.exit.map((n) => n.key), ['o2:100']);
    assert.deepEqual(d.links.map((l) => `${l.source}>${l.target}`), ['o1:100>o2:200']);
    assert.deepEqual(m.nodes.get('o1:100').changed, []);
  });
});

describe('timeline: equal series and thinning', () => {
  const series = (n, f) => Array.from({ length: n }, (_, i) => ({ step: i, current: f(i), peak: 0 }))
    .map((p, i, a) => ({ ...p, peak: Math.max(...a.slice(0, i + 1).map((q) => q.current)) }));

  test('sameSeries: equal point by point, not only the same array', () => {
    const a = series(50, (i) => (i * 37) % 11);
    assert.ok(sameSeries(a, a));
    assert.ok(sameSeries(a, a.map((p) => ({ ...p }))));
    assert.ok(!sameSeries(a, a.slice(1)));
    const b = a.map((p) => ({ ...p }));
    b[20].current += 1;
    assert.ok(!sameSeries(a, b));
    assert.ok(!sameSeries(a, []) && !sameSeries([], null));
  });

  test('thinSeries: short series untouched; long ones keep first, last, lowest and highest of each pixel column, in order', () => {
    const x = scaleLinear().domain([0, 9999]).range([0, 200]);
    const short = series(300, (i) => i % 7);
    assert.equal(thinSeries(short, x), short);
    const long = series(10000, (i) => (i * 7919) % 1000);
    const thin = thinSeries(long, x);
    assert.ok(thin.length <= 4 * 201 && thin.length > 200, `${thin.length} points`);
    // a subsequence of the series
    let j = 0;
    for (const p of thin) { while (long[j] !== p) j++; assert.ok(j < long.length); }
    // per column: the same first, last, min and max as the full series
    const cols = (pts) => {
      const out = new Map();
      for (const p of pts) {
        const c = Math.floor(x(p.step));
        const e = out.get(c) ?? { first: p, last: p, lo: p.current, hi: p.current, peak: p.peak };
        e.last = p; e.lo = Math.min(e.lo, p.current); e.hi = Math.max(e.hi, p.current); e.peak = Math.max(e.peak, p.peak);
        out.set(c, e);
      }
      return out;
    };
    const full = cols(long), kept = cols(thin);
    assert.equal(kept.size, full.size);
    for (const [c, e] of full) assert.deepEqual(kept.get(c), e, `column ${c}`);
  });
});

describe('allocator map signature', () => {
  test('equal heaps give equal signatures; an allocation or a free changes it', async () => {
    const heap = await createHeap();
    try {
      const sig = () => allocatorSignature(heap.arenas(), heap.stats());
      const s0 = sig();
      assert.equal(sig(), s0);
      const p = heap.malloc(24);
      const s1 = sig();
      assert.notEqual(s1, s0);
      heap.free(p);
      const s2 = sig();
      assert.notEqual(s2, s1, 'a free changes the count');
      // the same allocation again lands in the same pool: the same map as after the first one
      const q = heap.malloc(24);
      assert.equal(sig(), s1);
      heap.free(q);
      assert.equal(sig(), s2);
    } finally {
      heap.dispose();
    }
  });
});

describe('timeline: step labels', () => {
  test('whole steps only; from 10,000 on, thousands as k (long runs\' labels fit)', () => {
    assert.deepEqual([0, 1, 2.5, 999, 9000, 10000, 120000, 200006].map(stepLabel), ['0', '1', '', '999', '9000', '10k', '120k', '200006']);
  });
});

test('timeline: a series that gained points inside the drawn range keeps its extent (the curves may wait)', () => {
  const pts = (steps, peak = 100) => steps.map((s) => ({ step: s, current: peak / 2, peak }));
  const before = pts([0, 10, 20, 40]);
  assert.equal(sameExtent(pts([0, 10, 15, 20, 40]), before, 100), true, 'a point inside');
  assert.equal(sameExtent(pts([0, 10, 20, 40, 41]), before, 100), false, 'a later last step: the x axis changes');
  assert.equal(sameExtent(pts([1, 10, 20, 40]), before, 100), false, 'another first step');
  assert.equal(sameExtent(pts([0, 10, 15, 20, 40], 120), before, 100), false, 'a peak above the drawn y maximum');
  assert.equal(sameExtent(pts([0, 40]), [], 100), false, 'nothing drawn before');
});

test('count() writes numbers as toLocaleString(\'en\') does (one formatter, made once)', async () => {
  const { count } = await import('../../web/viz/style.js');
  for (const n of [0, 1, 7, 999, 1000, 12345, 700, 1234567, 2 ** 31, 2 ** 53 - 1, 0.5, 1e21]) assert.equal(count(n), n.toLocaleString('en'), String(n));
});
