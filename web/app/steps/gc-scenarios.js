// gc-scenarios.js — collections to walk in the "gc.collect() explained" view,
// each built through the JS API (one handle per Python name) as the Python
// it shows would build it. tests/record/gcwalk.py runs the same programs
// under CPython 3.12 (tests/fixtures/gcwalk.txt); tests/viz/gcwalk.test.js
// and the views demo (demo.html) use these.
//
// __del__ is modelled as tests/lib/jsclasses.test.js does it: a class whose
// dict has a __del__ entry gets a tp_finalize, and the heap's finalize hook
// runs its body (log self.name; a Phoenix also stores self: resurrection).
// Weakref callbacks are str markers ('wr:a') the call hook logs.

/** A heap's Marked / Phoenix classes and the hooks that log what runs. */
export function gcWorld(heap) {
  const LOG = [];
  const SAVED = [];
  const errors = [];
  const marker = heap.str('__del__');
  const Marked = heap.class('Marked', { dict: { __del__: marker } });
  const Phoenix = heap.class('Phoenix', { dict: { __del__: marker } });
  marker.release();
  const nameOf = (o) => {
    const n = o.getattr('name');
    try { return n.toJS(); } finally { n.release(); }
  };
  const previous = heap.setHostHooks({
    finalize(o) {
      LOG.push(nameOf(o));
      const cls = o.class;
      if (cls.is(Phoenix)) SAVED.push(o.dup());            // SAVED.append(self)
      cls.release();
    },
    call(cb) {
      if (cb.typeName === 'str') LOG.push(cb.toJS());
    },
    error(e, what) { errors.push([e, what]); },
  });
  const mk = (cls, name) => {
    const o = cls.new();
    o.setattr('name', name);
    return o;
  };
  const cleanup = () => {
    for (const h of SAVED.splice(0)) h.release();
    Marked.release();
    Phoenix.release();
    heap.setHostHooks(previous ?? {});
  };
  return { heap, LOG, SAVED, errors, Marked, Phoenix, mk, cleanup };
}

/** x.other = y; y.other = x */
function pair(x, y) {
  x.setattr('other', y);
  y.setattr('other', x);
  return [x, y];
}

/**
 * Each scenario: title, the Python it stands for, `garbage` (the names the
 * program drops into a cycle; `unnamed`: it also drops objects it keeps no
 * name for) and build(world) -> { objs: { name: handle },
 * keep: [names still bound] }: every handle not kept is released before the
 * collection (del), kept ones after it.
 */
export const GC_SCENARIOS = {
  two_instances_del: {
    title: 'two objects in a cycle, both with __del__',
    code: 'class Node:\n    def __del__(self): print(self.name)\n\na, b = Node("a"), Node("b")\na.other = b\nb.other = a\ndel a, b\ngc.collect()',
    garbage: ['a', 'b'],
    build({ Marked, mk }) {
      const [a, b] = pair(mk(Marked, 'a'), mk(Marked, 'b'));
      return { objs: { a, b }, keep: [] };
    },
  },
  self_cycle: {
    title: 'a list that contains itself',
    code: 'l = []\nl.append(l)\ndel l\ngc.collect()',
    garbage: ['l'],
    build({ heap }) {
      const l = heap.list([]);
      l.append(l);
      return { objs: { l }, keep: [] };
    },
  },
  kept_alive: {
    title: 'a cycle kept alive by an outside reference',
    code: 'a = []\nb = [a]\na.append(b)\noutside = a\ndel a, b\ngc.collect()',
    garbage: [],
    build({ heap }) {
      const a = heap.list([]);
      const b = heap.list([a]);
      a.append(b);
      return { objs: { a, b }, keep: ['a'] };           // `outside` is the handle to a
    },
  },
  resurrect: {
    title: 'a finalizer that resurrects its object',
    code: 'SAVED = []\nclass Phoenix:\n    def __del__(self): SAVED.append(self)\n\np, m = Phoenix("p"), Node("m")\np.other = m\nm.other = p\ndel p, m\ngc.collect()',
    garbage: ['p', 'm'],
    build({ Marked, Phoenix, mk }) {
      const [p, m] = pair(mk(Phoenix, 'p'), mk(Marked, 'm'));
      return { objs: { p, m }, keep: [] };
    },
  },
  weakref_callback: {
    title: 'a weakref with a callback to an object in a cycle',
    code: 'a, b = Node("a"), Node("b")\na.other = b\nb.other = a\nr = weakref.ref(a, lambda ref: print("wr:a"))\ndel a, b\ngc.collect()',
    garbage: ['a', 'b'],
    build({ heap, Marked, mk }) {
      const [a, b] = pair(mk(Marked, 'a'), mk(Marked, 'b'));
      const cb = heap.str('wr:a');
      const r = heap.weakref(a, cb);
      cb.release();
      return { objs: { a, b, r }, keep: ['r'] };
    },
  },
  many_cycles: {
    title: '300 dropped two-list cycles (a summarised walk)',
    code: 'for _ in range(300):\n    a = []\n    b = [a]\n    a.append(b)\ndel a, b\ngc.collect()',
    garbage: [],
    unnamed: true,                                      // garbage the program keeps no name for
    build({ heap }) {
      for (let i = 0; i < 300; i++) {
        const a = heap.list([]);
        const b = heap.list([a]);
        a.append(b);
        a.release();
        b.release();
      }
      return { objs: {}, keep: [] };
    },
  },
};

/**
 * Runs one scenario on `heap` (with a fresh gcWorld): builds it, takes the
 * snapshot the walk needs (roots: the kept handles), runs gc.collect() with
 * the phase trace on. Returns { snapshot, trace, returned, log, ids, world,
 * release } — call release() when done (kept handles, SAVED, classes).
 */
export function runGcScenario(heap, name) {
  const sc = GC_SCENARIOS[name];
  if (!sc) throw new Error(`gc scenario ${name}: unknown (one of ${Object.keys(GC_SCENARIOS).join(', ')})`);
  const world = gcWorld(heap);
  heap.gc.collect();
  world.LOG.length = 0;
  const { objs, keep } = sc.build(world);
  const ids = Object.fromEntries(Object.entries(objs).map(([k, h]) => [k, h.id]));
  for (const [k, h] of Object.entries(objs)) if (!keep.includes(k)) h.release();
  const kept = keep.map((k) => objs[k]);
  const snapshot = heap.snapshot(kept);
  heap.gc.trace(true);
  let returned, trace;
  try {
    returned = heap.gc.collect();
    trace = heap.gc.lastTrace();
  } finally {
    heap.gc.trace(false);
  }
  const log = world.LOG.splice(0);
  const release = () => {
    for (const h of kept) if (!h.released) h.release();
    world.cleanup();
    heap.gc.collect();
  };
  return { snapshot, trace, returned, log, ids, world, release };
}
