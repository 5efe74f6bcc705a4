// playground-model.test.js — the playground's data joins (web/app/playground.model.js):
// which objects of a snapshot are drawn, which are cyclic garbage, the roots
// from the paused frames, the traceback's line and the URL encoding. The
// snapshots are taken from a real session (the interpreter over the core),
// so their shapes are the core's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from '../../web/lib/load.js';
import { viewHeap } from '../../web/lib/heap.js';
import { createSession } from '../../web/interp/session.js';
import { rootsOf, programView, baselineOf, errorLine, encodeSource, decodeSource, keyOf, lowerBound } from '../../web/app/playground.model.js';

const raw = await load();

/** Snapshot + view at step k of src (k = Infinity: after the last line). */
function at(src, k, opts = {}) {
  const s = createSession(raw, src, { pauseAtEnd: true });
  s.goTo(0);
  let v = viewHeap(raw, s.heap);
  const baseline = baselineOf(v.snapshot([]));
  v.dispose();
  const st = s.goTo(k);
  v = viewHeap(raw, s.heap);
  const roots = rootsOf(st.frames);
  const snap = v.snapshot(roots.map((r) => r.id));
  const view = programView(snap, roots, { baseline, ...opts });
  v.dispose();
  s.stop();
  return { st, roots, snap, view, baseline };
}

test('names reach the program\'s objects; the interpreter\'s own are not drawn', () => {
  const { roots, view, snap } = at('a = [1, 2]\nb = a\nd = {"k": a}\n', Infinity);
  assert.deepEqual(roots.map((r) => r.name).sort(), ['a', 'b', 'd']);
  const types = view.objects.map((o) => o.type).sort();
  // the list, its two ints, the dict and its key
  assert.deepEqual(types, ['dict', 'int', 'int', 'list', 'str']);
  assert.ok(snap.objects.length > 100, 'the heap holds the interpreter too');
  assert.equal(view.garbage, 0);
  assert.ok(view.objects.every((o) => o.reachable));
  // refs only between drawn objects
  const ids = new Set(view.objects.map((o) => o.id));
  assert.ok(view.objects.every((o) => o.refs.every((r) => ids.has(r))));
});

test('a dropped cycle is garbage until collected', () => {
  const src = 'class A:\n    pass\na = A()\nb = A()\na.o = b\nb.o = a\ndel a, b\nimport gc\ngc.collect()\n';
  const before = at(src, 9);   // about to run `import gc` (the class body has two line events): the cycle is unreachable
  const garbage = before.view.objects.filter((o) => !o.reachable);
  assert.equal(garbage.filter((o) => o.type === 'A').length, 2, 'both instances');
  assert.ok(before.view.garbage >= 2);
  const after = at(src, Infinity);
  assert.equal(after.view.objects.filter((o) => o.type === 'A').length, 0, 'collected');
  assert.equal(after.view.garbage, 0);
});

test('classes, functions and modules are drawn but not opened', () => {
  const { view } = at('import gc\nclass A:\n    def f(self):\n        pass\nx = A()\n', Infinity);
  const types = view.objects.map((o) => o.type).sort();
  assert.deepEqual(types, ['A', 'module', 'type']);
  const cls = view.objects.find((o) => o.type === 'type');
  assert.deepEqual(cls.refs, [], 'a class is not expanded');
});

test('big containers draw their first maxItems items', () => {
  const { view } = at('xs = [[] for i in range(50)]\n', Infinity, { maxItems: 10 });
  const list = view.objects.find((o) => o.type === 'list' && o.moreRefs);
  assert.equal(list.refs.length, 10);
  assert.equal(list.moreRefs, 40);
  assert.equal(view.objects.length, 11);
});

test('function frames name their locals f:x', () => {
  const { roots } = at('def f(n):\n    m = n + 1\n    return m\nf(5)\n', 3);
  assert.ok(roots.some((r) => r.name === 'f:n'), JSON.stringify(roots));
  assert.ok(roots.some((r) => r.name === 'f'));
});

test('baseline keys and the traceback line', () => {
  const { baseline, snap } = at('x = 1\n', 0);
  assert.ok(snap.objects.every((o) => baseline.has(keyOf(o))));
  assert.ok(snap.objects.every((o) => baseline.typeById.get(o.id) === o.typeId));
  // the view by the keys alone (a plain Set) equals the view by address and type
  const later = at('class A:\n    pass\nxs = [A(), A(), [1, 2]]\nxs.append(xs)\ndel xs\n', Infinity);
  const roots = later.roots;
  assert.deepEqual(programView(later.snap, roots, { baseline: new Set(later.baseline) }), later.view);
  assert.ok(later.view.objects.length > 3 && later.view.garbage > 0, JSON.stringify(later.view.objects.map((o) => o.type)));
  const tb = 'Traceback (most recent call last):\n  File "main.py", line 4, in <module>\n    f()\n  File "main.py", line 2, in f\n    1/0\nZeroDivisionError: division by zero\n';
  assert.equal(errorLine(tb, 'main.py'), 2);
  assert.equal(errorLine('  File "main.py", line 7\n    x = (\n        ^\nSyntaxError: \'(\' was never closed\n', 'main.py'), 7);
  assert.equal(errorLine('nothing here', 'main.py'), null);
});

test('the URL hash round-trips any program, and a damaged one is an error', async () => {
  const src = 'print("héllo <b>")\n# ' + 'x'.repeat(3000) + '\n';
  const h = await encodeSource(src);
  assert.match(h, /^#code=[A-Za-z0-9_-]+$/);
  assert.ok(h.length < 200, `compressed: ${h.length}`);
  assert.equal(await decodeSource(h), src);
  assert.equal(await decodeSource('#other=1'), null);
  await assert.rejects(decodeSource('#code=AAAA'), /damaged/);
});

// dict views (core/src/dictviewobject.c): each is drawn as its own object with one
// edge, to its dict. Facts from CPython 3.12 via tests/fixtures/dictviews.txt
// (tests/record/dictviews.py): type name, sys.getsizeof, gc.is_tracked,
// gc.get_referents(view) == [d].
test('dict views are drawn with one edge to their dict', () => {
  const fixture = new Map(readFileSync(new URL('../fixtures/dictviews.txt', import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
  const fx = (key) => { assert.ok(fixture.has(key), `fixture has ${key}`); return fixture.get(key); };
  const { roots, view } = at('d = {1: 10}\nk = d.keys()\nv = d.values()\ni = d.items()\n', Infinity);
  const byName = new Map(roots.map((r) => [r.name, r.id]));
  const objs = new Map(view.objects.map((o) => [o.id, o]));
  const d = objs.get(byName.get('d'));
  assert.equal(d.type, 'dict');
  assert.equal(fx('referents.keys_is_dict'), '1');
  for (const [name, kind] of [['k', 'keys'], ['v', 'values'], ['i', 'items']]) {
    const o = objs.get(byName.get(name));
    assert.ok(o, `${name} is drawn`);
    assert.equal(o.type, fx(`name.${kind}`));
    assert.equal(o.size, Number(fx(`size.${kind}`)));
    assert.equal(o.gcType && o.gen !== null, fx(`tracked.${kind}`) === '1');
    assert.deepEqual(o.refs, [d.id], `${name}: gc.get_referents(view) == [d]`);
  }
});

/** programView as its doc states it, with plain sets (the reference the fast one is checked against). */
function programViewPlain(snap, roots, { baseline, internal = [], maxItems = Infinity, opaqueTypes }) {
  const byId = new Map(snap.objects.map((o) => [o.id, o]));
  const isBase = (o) => baseline.has(keyOf(o));
  const closed = (o) => isBase(o) || opaqueTypes.has(o.type);
  const reach = (starts, follow) => {
    const seen = new Set(), todo = [...starts].filter((id) => byId.has(id));
    for (const id of todo) seen.add(id);
    while (todo.length) for (const r of follow(byId.get(todo.pop()))) if (byId.has(r) && !seen.has(r)) { seen.add(r); todo.push(r); }
    return seen;
  };
  const alive = reach([...roots.map((r) => r.id), ...internal, ...snap.objects.filter(isBase).map((o) => o.id)], (o) => o.refs);
  const limit = (o) => o.refs.slice(0, maxItems);
  const unreached = snap.objects.filter((o) => !alive.has(o.id)).map((o) => o.id);
  const shown = reach([...roots.map((r) => r.id), ...unreached], (o) => (closed(o) ? [] : limit(o)));
  const objects = snap.objects.filter((o) => shown.has(o.id)).map((o) => {
    const c = { ...o, refs: closed(o) ? [] : limit(o).filter((r) => shown.has(r)), reachable: alive.has(o.id) };
    if (!closed(o) && o.refs.length > maxItems) c.moreRefs = o.refs.length - maxItems;
    return c;
  });
  return { objects, garbage: unreached.length, hidden: snap.objects.length - objects.length };
}

test('programView equals the plain reading of its definition (cycles, garbage, duplicates, big containers, code objects)', async () => {
  const { OPAQUE_TYPES } = await import('../../web/app/playground.model.js');
  const programs = [
    ['a = [1, 2]\nb = a\nd = {"k": a, "j": [a, a]}\n', Infinity, {}],
    ['class A:\n    pass\na = A()\nb = A()\na.o = b\nb.o = a\nxs = [a, a, b]\ndel a, b\n', Infinity, {}],
    ['import gc\nclass A:\n    def f(self):\n        return self\nx = A()\nys = [x.f, A, gc, [x] * 30]\n', Infinity, { maxItems: 7 }],
    ['def g(n):\n    for i in range(n):\n        yield [i]\nit = g(5)\nfirst = next(it)\nrest = list(it)\n', Infinity, {}],
    ['xs = [[] for i in range(40)]\nxs.append(xs)\ndel xs\n', Infinity, { maxItems: 12 }],
  ];
  assert.ok(OPAQUE_TYPES.size > 3);
  for (const [src, k, opts] of programs) {
    const { snap, roots, baseline, view } = at(src, k, opts);
    const plain = programViewPlain(snap, roots, { baseline: new Set(baseline), ...opts, opaqueTypes: OPAQUE_TYPES });
    assert.deepEqual(view, plain, src);
    assert.ok(view.objects.length > 2, src);
  }
});

test('programView with { previous }, step by step: the same answer; copies of what did not change are reused', async () => {
  const { OPAQUE_TYPES } = await import('../../web/app/playground.model.js');
  const src = 'class A:\n    pass\nxs = []\nfor i in range(12):\n    xs.append([i])\nd = {"k": xs}\n' +
    'a = A()\na.me = a\nxs[0].append(a)\ndel a\nxs.pop()\ndel xs[0]\nimport gc\ngc.collect()\nys = xs * 2\n';
  const s = createSession(raw, src, { pauseAtEnd: true });
  s.goTo(0);
  let v = viewHeap(raw, s.heap);
  const baseline = baselineOf(v.snapshot([]));
  v.dispose();
  let snap = null, view = null, reused = 0, steps = 0;
  for (let k = 1; ; k++) {
    const st = s.goTo(k);
    if (st.done) break;
    v = viewHeap(raw, s.heap);
    const roots = rootsOf(st.frames);
    const ids = roots.map((r) => r.id);
    const next = v.snapshot(ids, { previous: snap });
    assert.deepEqual(next, v.snapshot(ids), `step ${k}: the snapshot`);
    v.dispose();
    for (const maxItems of [Infinity]) {
      const got = programView(next, roots, { baseline, maxItems, previous: view });
      assert.deepEqual(got, programView(next, roots, { baseline, maxItems }), `step ${k}`);
      assert.deepEqual(got, programViewPlain(next, roots, { baseline: new Set(baseline), maxItems, opaqueTypes: OPAQUE_TYPES }), `step ${k}`);
      // a copy is reused exactly when its entry was and its drawn references and reachability are the same
      if (view) {
        const before = new Map(view.objects.map((o) => [o.id, o]));
        for (const o of got.objects) {
          const b = before.get(o.id);
          if (b === o) reused++;
          else if (b && snap.objects.includes(next.objects.find((x) => x.id === o.id)) && b.reachable === o.reachable &&
            JSON.stringify(b.refs) === JSON.stringify(o.refs)) assert.fail(`step ${k}: ${o.type} ${o.id} unchanged but copied again`);
        }
      }
      view = got;
    }
    snap = next;
    if (st.atEnd) break;
    steps++;
  }
  s.stop();
  assert.ok(steps > 20, `${steps} steps`);
  assert.ok(reused > 10 * steps, `${reused} copies reused over ${steps} steps`);
});

test('lowerBound: the first index whose value is >= x, as a scan finds it', () => {
  let seed = 11;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let t = 0; t < 200; t++) {
    const a = Array.from({ length: rand(30) }, () => rand(50)).sort((p, q) => p - q);
    for (const x of [-1, 0, rand(50), rand(50), 49, 50, 60]) {
      const want = a.findIndex((v) => v >= x);
      assert.equal(lowerBound(a, x), want < 0 ? a.length : want, `${JSON.stringify(a)} ${x}`);
    }
  }
  assert.equal(lowerBound([], 3), 0);
});

test('objectTracebacks: the "allocated at" of every object, as get_object_traceback answers it object by object', async () => {
  const { readTraces, objectTracebacks } = await import('../../web/viz/toplines.js');
  const src = 'def make(n):\n    return [n] * 3\nxs = []\nfor i in range(20):\n    xs.append(make(i))\nd = {"k": xs}\n';
  const s = createSession(raw, src, { pauseAtEnd: true, hostTrace: true, filename: 'main.py' });
  const st = s.goTo(Infinity);
  const v = viewHeap(raw, s.heap);
  const roots = rootsOf(st.frames);
  const rec = readTraces(raw, s.heap);
  assert.ok(rec, 'tracing');
  const snap = v.snapshot(roots.map((r) => r.id), { tracebacks: true });
  assert.equal(snap.tracebacks.length, snap.objects.length);
  const tbs = objectTracebacks(snap, rec);
  let traced = 0;
  for (const o of snap.objects) {
    const n = raw.tm_object_traceback(s.heap, o.id);   // id + 1, 0: None (checked object by object)
    const want = n > 0 ? rec.tracebacks[n - 1].frames : undefined;
    assert.deepEqual(tbs.get(o.id), want, `${o.type} ${o.id}`);
    if (want) traced++;
  }
  assert.ok(traced >= 10, `${traced} objects traced`);
  // the lists made in make() whose blocks were traced (a list from the free list keeps a block
  // allocated before tracing began: None, as in CPython) were allocated at its line 2
  const lists = snap.objects.filter((o) => o.type === 'list' && o.refs.length === 3 && tbs.get(o.id));
  assert.ok(lists.length >= 10, `${lists.length} traced lists`);
  for (const o of lists) assert.deepEqual(tbs.get(o.id), [['main.py', 2]]);
  // with a snapshot taken without the numbers, or no trace read: none
  assert.equal(objectTracebacks(v.snapshot(roots.map((r) => r.id)), rec).get(lists[0].id), undefined);
  assert.equal(objectTracebacks(snap, null).get(lists[0].id), undefined);
  v.dispose();
  s.stop();
});
