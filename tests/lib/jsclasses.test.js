// jsclasses.test.js — the JavaScript API for classes, instances, attributes,
// callables, the collector and weakrefs (web/lib objects.js, gc.js), in both
// wasm builds.
//
// Expected reference counts, finalizer and callback orders, collection
// counts and exception messages come from tests/fixtures/refcounts_classes.txt
// (tests/record/refcounts_classes.py under CPython 3.12.1). Each scenario
// mirrors the Python function of the same name, one handle per Python name.
// The Python finalizers log `self.name`; here the finalize host hook logs the
// object's `name` attribute, and weakref callbacks (str markers holding the
// logged text) are logged by the call hook.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  PyheapError, PyObject, PyType, PyInstance, PyCode, PyFunction, PyCell, PyMethod, PyWeakref, PyProxy, PyList,
  PyGenerator,
} from '../../web/lib/index.js';
import { VARIANTS, heapFor } from './helpers.js';

const FX = new Map();
for (const line of readFileSync(new URL('../fixtures/refcounts_classes.txt', import.meta.url), 'utf8').split('\n')) {
  if (!line || line.startsWith('#')) continue;
  const sp = line.indexOf(' ');
  FX.set(line.slice(0, sp), line.slice(sp + 1));
}
const CALLABLES = new Map(readFileSync(new URL('../fixtures/sizes_callables.txt', import.meta.url), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
/** Field k of a sizes_callables.txt case (tests/record/sizes_callables.py). */
const callables = (key, k = 0) => Number(CALLABLES.get(key).split(' ')[k]);
const fx = (key) => {
  assert.ok(FX.has(key), `fixture case ${key}`);
  return FX.get(key);
};

function throwsCode(fn, code, re) {
  assert.throws(fn, (e) => e instanceof PyheapError && e.code === code && (!re || re.test(e.message)),
    `expected ${code}${re ? ' matching ' + re : ''}`);
}

/** "Type: message" of the EPYTHON error fn throws. */
function pyExc(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PyheapError, String(e));
    assert.equal(e.code, 'EPYTHON', e.message);
    return `${e.pyType}: ${e.pyMessage}`;
  }
  assert.fail('no exception');
}

function releaseAll(...handles) {
  for (const h of handles.flat(2)) if (h instanceof PyObject && !h.released) h.release();
}

/**
 * The world of one test: a heap with the finalize / call hooks logging as
 * the recording script's __del__ methods and weakref callbacks do, the
 * Marked and Phoenix classes (any object marks __del__: the core only checks
 * its presence) and helpers.
 */
function world(heap) {
  const LOG = [];
  const SAVED = [];
  const errors = [];
  const marker = heap.str('__del__ marker');
  const Marked = heap.class('Marked', { dict: { __del__: marker } });
  const Phoenix = heap.class('Phoenix', { dict: { __del__: marker } });
  marker.release();
  const nameOf = (o) => {
    const n = o.getattr('name');
    try {
      return n.toJS();
    } finally {
      n.release();
    }
  };
  heap.setHostHooks({
    finalize(o) {
      LOG.push(nameOf(o));
      const cls = o.class;
      if (cls.is(Phoenix)) SAVED.push(o.dup());   // SAVED.append(self): resurrection
      cls.release();
    },
    call(cb, args) {
      if (cb.typeName === 'str') LOG.push(cb.toJS());   // weakref callbacks: markers 'wr:<name>'
      else LOG.push({ cb, args });
    },
    error(e, what) {
      errors.push([e, what]);
    },
  });
  /** mk(cls, name): cls() with a name attribute. */
  const mk = (cls, name) => {
    const o = cls.new();
    o.setattr('name', name);
    return o;
  };
  /** Run fn with an empty log; the log joined by ','. */
  const logged = (fn) => {
    heap.gc.collect();
    LOG.length = 0;
    fn();
    const text = LOG.join(',');
    LOG.length = 0;
    return text;
  };
  /** obj.name = mk(cls, name) without keeping a handle (a Python temporary). */
  const setMarked = (obj, attr, cls, name) => {
    const t = mk(cls, name);
    obj.setattr(attr, t);
    t.release();
  };
  /** Handles made by mk() for each name, for a container display, released after use(items). */
  const temps = (cls, names, use) => {
    const items = names.map((n) => mk(cls, n));
    try {
      return use(items);
    } finally {
      releaseAll(items);
    }
  };
  const cleanup = () => {
    releaseAll(SAVED, Marked, Phoenix);
    heap.setHostHooks({});
  };
  return { LOG, SAVED, errors, Marked, Phoenix, mk, logged, setMarked, temps, cleanup };
}

// ---- the refcount scenarios (mirrors of tests/record/refcounts_classes.py) ------------------

const SCENARIOS = {
  class(heap, E, C) {
    const A = heap.class('A');
    E('fresh', A);
    const a1 = A.new();
    E('one_instance', A);
    E('instance', a1);
    const a2 = A.new();
    const a3 = A.new();
    E('three_instances', A);
    a2.release();
    E('dropped_one', A);
    releaseAll(a1, a3);
    E('dropped_all', A);
    const B = heap.class('B', { base: A });
    E('with_subclass', A);
    E('subclass', B);
    heap.gc.collect();
    B.release();
    E('subclass_dropped', A);
    C('class_subclass', heap.gc.collect());
    E('subclass_collected', A);
    A.release();
  },

  attrs(heap, E) {
    const A = heap.class('A');
    const [a, b, c] = [A.new(), A.new(), A.new()];
    a.setattr('x', b);
    E('b_in_a', b);
    c.setattr('y', b);
    E('b_in_a_c', b);
    a.setattr('x', c);
    E('replaced_b', b);
    E('replaced_c', c);
    a.setattr('self', a);
    E('self_ref', a);
    a.delattr('self');
    E('self_deleted', a);
    const d = a.getattr('x');
    E('getattr_c', c);
    d.release();
    a.delattr('x');
    E('delattr_c', c);
    c.release();
    E('c_freed_b', b);
    E('class', A);
    releaseAll(a, b, A);
  },

  list(heap, E) {
    const A = heap.class('A');
    const lst = heap.list();
    for (let i = 0; i < 3; i++) {
      const t = A.new();
      lst.append(t);
      t.release();
    }
    E('class', A);
    const x = lst.get(0);
    E('item', x);
    E('list', lst);
    lst.release();
    E('item_after', x);
    E('class_after', A);
    releaseAll(x, A);
  },

  method(heap, E) {
    const code = heap.code({ name: 'f', qualname: 'A.f', localsplusnames: ['self'], argcount: 1 });
    const f = heap.function(code, { __name__: '__main__' }, { builtins: {} });
    code.release();
    const A = heap.class('A', { dict: { f } });
    const a = A.new();
    E('f', f);
    const m = a.getattr('f');
    assert.ok(m instanceof PyMethod);
    E('getattr_a', a);
    E('getattr_f', f);
    E('m', m);
    const m2 = f.bind(a);
    E('bind_a', a);
    E('bind_f', f);
    const fn = m.func;
    assert.ok(fn.is(f));
    E('func_f', f);
    let s = m.self;
    assert.ok(s.is(a));
    E('self_a', a);
    releaseAll(fn, s, m2);
    a.release();
    s = m.self;
    E('held_self', s);
    s.release();
    m.release();
    E('released_f', f);
    E('class', A);
    releaseAll(f, A);
  },

  cell(heap, E) {
    const x = heap.int(4000);
    const y = heap.int(4001);
    const c = heap.cell(x);
    E('x', x);
    E('cell', c);
    const g = c.get();
    E('get_x', x);
    g.release();
    c.set(y);
    E('set_x', x);
    E('set_y', y);
    c.set(undefined);
    E('emptied_y', y);
    c.set(y);
    c.release();
    E('freed_y', y);
    releaseAll(x, y);
  },

  weakref(heap, E, C, W) {
    const A = heap.class('A');
    const a = A.new();
    const r = heap.weakref(a);
    assert.ok(r instanceof PyWeakref);
    E('a', a);
    W('one', a);
    const r2 = heap.weakref(a);
    assert.ok(r2.is(r));
    E('shared', r);
    W('shared', a);
    const p = heap.proxy(a);
    assert.ok(p instanceof PyProxy);
    W('proxy', a);
    const cb = heap.str('callback');
    const rc = heap.weakref(a, cb);
    W('callback', a);
    E('cb', cb);
    E('a_all', a);
    const b = r.call();
    assert.ok(b.is(a));
    E('called', a);
    b.release();
    const ws = heap.getWeakrefs(a);
    assert.equal(ws.length, 3);
    E('getweakrefs_r', r);
    releaseAll(ws);
    a.release();
    E('dead_r', r);
    E('dead_cb', cb);
    const none = r.call();
    assert.equal(none.toJS(), null);
    releaseAll(none, r, r2, p, rc, cb, A);
  },
};

// ---- the tests --------------------------------------------------------------------------------

for (const variant of VARIANTS) {
  describe(`classes, callables, gc and weakrefs from JS (${variant.name} build)`, () => {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      test(`refcounts: ${name}`, async () => {
        const heap = await heapFor(variant);
        const calls = heap.setHostHooks({ call() {} });
        void calls;
        const E = (step, h) => assert.equal(h.refcount, Number(fx(`rc.${name}.${step}`)), `rc.${name}.${step}`);
        const C = (step, n) => assert.equal(n, Number(fx(`collect.${step}`)), `collect.${step}`);
        const W = (step, h) => assert.equal(heap.getWeakrefCount(h), Number(fx(`wr.${name}.${step}`)), `wr.${name}.${step}`);
        scenario(heap, E, C, W);
        heap.gc.collect();
        assert.equal(heap.check(), true);
        heap.dispose();
      });
    }

    test('dealloc order through the finalize hook', async () => {
      const heap = await heapFor(variant);
      const w = world(heap);
      const { Marked, mk, logged, setMarked, temps } = w;
      const Holder = heap.class('Holder');
      const Slotted = heap.class('Slotted', { slots: ['c', 'a', 'b'] });
      const order = (key, fn) => assert.equal(logged(fn), fx(`order.${key}`), `order.${key}`);

      order('values', () => {
        const h = Holder.new();
        for (const n of ['c', 'a', 'b']) setMarked(h, n, Marked, n);
        h.release();
      });
      order('values_readded', () => {
        const h = Holder.new();
        for (const n of ['c', 'a', 'b']) setMarked(h, n, Marked, n);
        h.delattr('c');
        setMarked(h, 'c', Marked, 'c2');
        h.release();
      });
      order('slots', () => {
        const h = Slotted.new();
        for (const n of ['c', 'a', 'b']) setMarked(h, n, Marked, n);
        h.release();
      });
      order('list', () => temps(Marked, ['x', 'y', 'z'], (items) => heap.list(items)).release());
      order('tuple', () => temps(Marked, ['x', 'y', 'z'], (items) => heap.tuple(items)).release());
      order('dict', () => temps(Marked, ['p', 'q'], ([p, q]) => heap.dict([['p', p], ['q', q]])).release());
      order('chain', () => {
        const a = mk(Marked, 'a');
        setMarked(a, 'next', Marked, 'b');
        const b = a.getattr('next');
        setMarked(b, 'next', Marked, 'c');
        b.release();
        a.release();
      });
      order('refdeath_weakref', () => {
        const a = mk(Marked, 'a');
        const cb = heap.str('wr:a');
        const r = heap.weakref(a, cb);
        cb.release();
        a.release();
        r.release();
      });
      order('del_toggled', () => {
        const C = heap.class('C');
        const D = heap.class('D', { base: C });
        const [c1, c2, c3, d] = [[C, 'c1'], [C, 'c2'], [C, 'c3'], [D, 'd']].map(([cls, n]) => mk(cls, n));
        c1.release();
        const marker = heap.str('__del__ marker');
        C.setattr('__del__', marker);
        marker.release();
        c2.release();
        d.release();
        C.delattr('__del__');
        c3.release();
        releaseAll(C, D);
      });
      assert.deepEqual(w.errors, []);
      releaseAll(Holder, Slotted);
      w.cleanup();
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('finalizer once, resurrection, and hook exceptions', async () => {
      const heap = await heapFor(variant);
      const w = world(heap);
      const { Marked, Phoenix, mk, logged, SAVED, errors } = w;

      // drop the last handle: the hook gets the object, once
      const seen = [];
      const a = mk(Marked, 'a');
      const id = a.id;
      const old = heap.setHostHooks({ finalize(o) { seen.push([o.id, o.refcount, heap.gc.isFinalized(o)]); } });
      a.release();
      assert.deepEqual(seen, [[id, Number(fx('rc.finalizer.in_del')), true]]);   // the hook's handle is `self`
      heap.setHostHooks(old);

      // resurrection: the hook dup()s the handle (SAVED.append(self))
      assert.equal(logged(() => {
        const p = mk(Phoenix, 'p');
        p.release();
        assert.equal(SAVED.length, 1);
        const x = SAVED.pop();
        assert.equal(x.refcount, Number(fx('rc.resurrect.saved')));
        assert.equal(heap.gc.isFinalized(x), true);
        assert.equal(x.hasattr('name'), true);
        x.release();   // no second __del__
      }), fx('order.resurrect'));

      // an exception in the hook goes to hooks.error; the object is freed all the same
      const boom = new Error('boom');
      const hooks = heap.setHostHooks({ finalize() { throw boom; }, error: (e, what) => errors.push([e, what]) });
      const b = mk(Marked, 'b');
      const r = heap.weakref(b);
      b.release();
      assert.deepEqual(errors, [[boom, 'finalize']]);
      const dead = r.call();
      assert.equal(dead.toJS(), null);
      releaseAll(dead, r);
      assert.equal(heap.check(), true);
      heap.setHostHooks(hooks);
      errors.length = 0;

      // the same for a weakref callback that throws in the call hook
      const hooks2 = heap.setHostHooks({ call() { throw boom; }, error: (e, what) => errors.push([e, what]) });
      const c = mk(Marked, 'c');
      const cbC = heap.str('wr:c');
      const rc = heap.weakref(c, cbC);
      c.release();
      assert.deepEqual(errors, [[boom, 'call']]);
      releaseAll(rc, cbC);
      assert.equal(heap.check(), true);
      heap.setHostHooks(hooks2);
      errors.length = 0;

      // a throwing error reporter is swallowed too
      heap.setHostHooks({ finalize() { throw boom; }, error() { throw new Error('worse'); } });
      mk(Marked, 'c').release();
      assert.equal(heap.check(), true);
      w.cleanup();
      heap.dispose();
    });

    test('cycles: collect counts, finalizer and weakref callback order, trace phases', async () => {
      const heap = await heapFor(variant);
      const w = world(heap);
      const { Marked, Phoenix, mk, logged, SAVED } = w;
      const C = (step, n) => assert.equal(n, Number(fx(`collect.${step}`)), `collect.${step}`);
      const link = (x, y) => x.setattr(x === y ? 'self' : 'other', y);

      const Plain = heap.class('Plain');
      heap.gc.collect();
      let a = Plain.new();
      let b = Plain.new();
      link(a, b);
      link(b, a);
      releaseAll(a, b);
      C('pair', heap.gc.collect());

      assert.equal(logged(() => {
        const [x, y, z] = ['a', 'b', 'c'].map((n) => mk(Marked, n));
        x.setattr('next', y);
        y.setattr('next', z);
        z.setattr('next', x);
        releaseAll(x, y, z);
        C('cycle3', heap.gc.collect());
      }), fx('order.cycle3'));

      let ids;
      heap.gc.trace(true);
      assert.equal(logged(() => {
        a = mk(Marked, 'a');
        b = mk(Marked, 'b');
        link(a, b);
        link(b, a);
        const [cbA, cbB] = [heap.str('wr:a'), heap.str('wr:b')];
        const ra = heap.weakref(a, cbA);
        const rb = heap.weakref(b, cbB);
        ids = { a: a.id, b: b.id, ra: ra.id, rb: rb.id };
        releaseAll(a, b, cbA, cbB);
        C('cycle_weakrefs', heap.gc.collect());
        releaseAll(ra, rb);
      }), fx('order.cycle_weakrefs'));
      const { generation, phases } = heap.gc.lastTrace();
      heap.gc.trace(false);
      assert.equal(generation, 2);
      const idsOf = (ph) => phases[ph].map((e) => e.id);
      assert.deepEqual(idsOf('unreachable'), [ids.a, ids.b]);
      assert.deepEqual(idsOf('weakrefCallbacks'), [ids.ra, ids.rb]);
      assert.deepEqual(idsOf('finalized'), [ids.a, ids.b]);
      assert.deepEqual(idsOf('resurrected'), []);
      assert.deepEqual(idsOf('freed').sort(), [ids.a, ids.b].sort());
      for (const id of [ids.a, ids.b]) assert.ok(idsOf('examined').includes(id));

      assert.equal(logged(() => {
        a = mk(Phoenix, 'a');
        b = mk(Marked, 'b');
        link(a, b);
        link(b, a);
        releaseAll(a, b);
        C('resurrect_first', heap.gc.collect());
        releaseAll(SAVED.splice(0));
        C('resurrect_second', heap.gc.collect());
      }), fx('order.cycle_resurrect'));

      assert.deepEqual(w.errors, []);
      releaseAll(Plain);
      w.cleanup();
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('heap.gc mirrors the gc module', async () => {
      const heap = await heapFor(variant);
      const { gc } = heap;
      assert.equal(gc.getThreshold().join(' '), fx('gc.threshold'));
      assert.equal([gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK]
        .join(' '), fx('gc.debug_flags'));
      assert.equal(gc.isEnabled(), true);
      gc.disable();
      assert.equal(gc.isEnabled(), false);
      gc.enable();
      gc.setThreshold(500, 5);
      assert.deepEqual(gc.getThreshold(), [500, 5, 10]);
      gc.setThreshold(700, 10, 10);
      throwsCode(() => gc.setThreshold(), 'EINVAL');
      assert.equal(pyExc(() => gc.collect(3)).split(':')[0], 'ValueError');

      const A = heap.class('A');
      gc.collect();
      const a = A.new();
      const b = A.new();
      a.setattr('other', b);
      b.setattr('other', a);
      const n = heap.int(1000);
      assert.equal([gc.isTracked(a), gc.isTracked(A), gc.isTracked(n)].map((v) => (v ? 'True' : 'False')).join(' '),
        fx('gc.tracked'));
      const names = (hs) => {
        const out = hs.map((x) => (x.is(a) ? 'a' : x.is(b) ? 'b' : x.is(A) ? 'A' : x.typeName)).join(',');
        releaseAll(hs);
        return out;
      };
      assert.equal(names(gc.getReferents(a)), fx('gc.referents_a'));
      assert.equal(names(gc.getReferrers(b)), fx('gc.referrers_b'));
      const all = gc.getObjects();
      assert.ok(all.some((x) => x.is(a)) && all.some((x) => x.is(A)));
      releaseAll(all);
      assert.ok(gc.getCount()[0] >= 0);
      const before = gc.getStats()[2].collections;

      releaseAll(a, b, n);
      gc.takeStderr();
      gc.setDebug(gc.DEBUG_COLLECTABLE | gc.DEBUG_SAVEALL);
      assert.equal(gc.getDebug(), gc.DEBUG_COLLECTABLE | gc.DEBUG_SAVEALL);
      assert.equal(String(gc.collect()), fx('gc.saveall_collect'));
      gc.setDebug(0);
      assert.equal(gc.getStats()[2].collections, before + 1);
      const garbage = gc.garbage;
      assert.ok(garbage instanceof PyList);
      assert.equal(String(garbage.length), fx('gc.saveall_garbage'));
      assert.equal(gc.takeStderr().replace(/0x[0-9a-f]+/g, '0xADDR').replaceAll('\n', '|'), fx('gc.saveall_stderr'));
      assert.equal(gc.takeStderr(), '');
      garbage.deleteSlice();
      garbage.release();
      assert.equal(gc.collect(), 2);

      // gc.callbacks: called through the call hook with ('start' | 'stop', info)
      const seen = [];
      heap.setHostHooks({ call(cb, args) { seen.push(`${cb.toJS()}:${args.get(0).toJS()}`); } });
      const callbacks = gc.callbacks;
      callbacks.append('cb');
      gc.collect(0);
      assert.deepEqual(seen, ['cb:start', 'cb:stop']);
      callbacks.deleteSlice();
      callbacks.release();
      heap.setHostHooks({});

      // freeze
      gc.freeze();
      assert.ok(gc.getFreezeCount() > 0);
      assert.equal(gc.generationSize(3), gc.getFreezeCount());
      gc.unfreeze();
      assert.equal(gc.getFreezeCount(), 0);

      // a scheduled collection runs at the eval-breaker point
      gc.setThreshold(1);
      const l1 = heap.list();
      const l2 = heap.list();
      assert.equal(gc.isScheduled(), true);
      assert.ok(gc.evalBreaker() >= 0);
      assert.equal(gc.isScheduled(), false);
      gc.setThreshold(700);
      releaseAll(l1, l2, A);
      assert.equal(heap.check(), true);
      heap.dispose();
      throwsCode(() => gc.collect(), 'EDEAD');
    });

    test('classes, code, functions, cells and generators are readable', async () => {
      const heap = await heapFor(variant);
      const Base = heap.class('Base', { dict: { k: 7 } });
      const A = heap.class('A', { base: Base, qualname: 'outer.<locals>.A', module: 'mod' });
      assert.ok(A instanceof PyType);
      assert.equal(A.name, 'A');
      const q = A.getattr('__qualname__');
      assert.equal(q.toJS(), 'outer.<locals>.A');
      const mod = A.getattr('__module__');
      assert.equal(mod.toJS(), 'mod');
      const mro = A.mro;
      assert.equal(mro.length, 3);
      const seven = A.lookup('k');
      assert.equal(seven.toJS(), 7);
      assert.equal(A.lookup('nothing'), null);
      const d = A.dict;
      assert.equal(d.has('__module__'), true);
      assert.equal(d.has('__qualname__'), false);   // type_new moves it into ht_qualname
      const a = A.new();
      assert.ok(a instanceof PyInstance);
      assert.equal(a.typeName, 'A');
      const cls = a.class;
      assert.ok(cls.is(A));
      assert.equal(a.hasattr('k'), true);
      assert.equal(a.hasattr('x'), false);
      a.setattr('x', [1, 2]);
      const ad = a.dict;
      assert.deepEqual(ad.toJS(), new Map([['x', [1, 2]]]));
      releaseAll(q, mod, mro, seven, d, cls, ad);

      const code = heap.code({ name: 'g', localsplusnames: ['a'], argcount: 1, flags: 3 | 0x20 });
      assert.ok(code instanceof PyCode);
      assert.equal(code.argcount, 1);
      const vn = code.varnames;
      assert.deepEqual(vn.toJS(), ['a']);
      const f = heap.function(code, heap.dict({ __builtins__: {} }), { defaults: [5] });
      assert.ok(f instanceof PyFunction);
      const fd = f.defaults;
      assert.deepEqual(fd.toJS(), [5]);
      f.defaults = null;
      const none = f.defaults;
      assert.equal(none.toJS(), null);
      const same = f.bind(null);
      assert.ok(same.is(f));
      const cell = heap.cell();
      assert.ok(cell instanceof PyCell);
      assert.equal(pyExc(() => cell.get()), fx('exc.cell_empty'));
      releaseAll(vn, fd, none, same, cell, code, f, a, A, Base);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('frames and generators through heap.frames', async () => {
      const heap = await heapFor(variant);
      const { frames } = heap;
      // def g(a): yield a
      const code = heap.code({
        name: 'g', localsplusnames: ['a'], argcount: 1, stacksize: callables('gen.g_arg', 1), flags: 3 | 0x20,
      });
      assert.equal(code.framesize, callables('gen.g_arg', 2));
      const f = heap.function(code, { __builtins__: {} });
      assert.equal(f.sizeof, callables('size.function'));
      const x = heap.str('some value');
      const frame = frames.push(f);
      assert.equal(frames.current, frame);
      assert.equal(frames.depth, 1);
      assert.equal(frames.local(frame, 0), null);                 // unbound
      frames.setLocal(frame, 0, x);
      assert.equal(pyExc(() => frames.setLocal(frame, 1, x)).split(':')[0], 'IndexError');
      throwsCode(() => frames.setLocal(frame + 8, 0, x), 'EBADPTR');
      throwsCode(() => frames.local(-1, 0), 'EINVAL');
      const fc = frames.get(frame, 'code');
      assert.ok(fc.is(code));
      assert.deepEqual(frames.info(frame), {
        nlocalsplus: 1, stackSize: 0, owner: 'thread', instr: 0, previous: null,
      });
      const gen = frames.returnGenerator(frame);
      assert.ok(gen instanceof PyGenerator);
      assert.equal(frames.current, null);
      assert.equal(gen.sizeof, callables('gen.g_arg', 3));
      assert.equal(gen.state, 'created');
      const gname = gen.name;
      assert.equal(gname.toJS(), 'g');
      assert.equal(pyExc(() => gen.send(x)).split(':')[0], 'TypeError');
      assert.equal(gen.send(), 'running');                        // next(gen)
      const gf = frames.current;
      assert.equal(gf, gen.frame);
      assert.equal(frames.info(gf).owner, 'generator');
      const sent = frames.popValue(gf);
      assert.equal(sent.toJS(), null);
      const a = frames.local(gf, 0);
      assert.ok(a.is(x));
      frames.pushValue(gf, x);                                    // yield a
      const top = frames.peek(gf);
      assert.ok(top.is(x));
      gen.suspend();
      assert.equal(gen.state, 'suspended');
      assert.equal(frames.current, null);
      gen.close();
      assert.equal(gen.frame, null);
      throwsCode(() => frames.local(gf, 0), 'EBADPTR');          // the frame went with the generator
      releaseAll(fc, gname, sent, a, top, gen, x, f, code);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('bad input: stale handles, other heaps, wrong types', async () => {
      const heap = await heapFor(variant);
      const other = await heapFor(variant);
      const A = heap.class('A');
      const a = A.new();
      const n = heap.int(1000);

      assert.equal(pyExc(() => n.setattr('x', 1)), fx('exc.setattr_int'));
      const l = heap.list();
      assert.equal(pyExc(() => heap.weakref(l)), fx('exc.weakref_list'));
      assert.equal(pyExc(() => a.getattr('nope')), fx('exc.getattr_missing'));
      assert.equal(pyExc(() => A.getattr('nope')), fx('exc.getattr_class'));
      assert.equal(pyExc(() => a.delattr('nope')), fx('exc.delattr_missing'));
      const intType = n.getattr('__class__');
      assert.ok(intType instanceof PyType);
      assert.equal(pyExc(() => intType.setattr('x', 1)), fx('exc.setattr_builtin_type'));
      throwsCode(() => intType.new(), 'EINVAL', /expected a class, got 'type'/);
      const S = heap.class('S', { slots: ['a'] });
      const s = S.new();
      assert.equal(pyExc(() => s.setattr('b', 1)), fx('exc.slots_setattr'));
      const b = A.new();
      const p = heap.proxy(b);
      b.release();
      assert.equal(pyExc(() => p.referent()), fx('exc.proxy_dead'));

      // JS arguments
      throwsCode(() => heap.class(5), 'EINVAL');
      throwsCode(() => heap.class('B', { bogus: 1 }), 'EINVAL', /unknown option "bogus"/);
      throwsCode(() => heap.class('B', { base: n }), 'EINVAL', /options.base must be a class/);
      throwsCode(() => heap.class('B', { slots: [1] }), 'EINVAL');
      throwsCode(() => a.getattr(5), 'EINVAL', /attribute name/);
      throwsCode(() => a.setattr(n, 1), 'EINVAL', /attribute name/);
      throwsCode(() => heap.weakref(5), 'EINVAL');
      throwsCode(() => heap.weakref(a, 'cb'), 'EINVAL');
      throwsCode(() => heap.function(n, {}), 'EINVAL', /code handle/);
      const c0 = heap.code({ name: 'f', qualname: 'A.f' });
      throwsCode(() => heap.function(c0, {}, { qualname: 'B.f' }), 'EINVAL', /heap.code\(\{ qualname \}\)/);
      const f0 = heap.function(c0, {}, { builtins: {} });
      const q0 = f0.qualname;
      assert.equal(q0.toJS(), 'A.f');
      releaseAll(c0, f0, q0);
      throwsCode(() => heap.code({ argcount: 1.5 }), 'EINVAL');
      throwsCode(() => heap.gc.getReferents(5), 'EINVAL');
      throwsCode(() => heap.gc.collect('2'), 'EINVAL');

      // stale handles and handles of another heap
      const gone = A.new();
      gone.release();
      throwsCode(() => gone.getattr('x'), 'ESTALE');
      throwsCode(() => a.setattr('x', gone), 'ESTALE');
      throwsCode(() => heap.weakref(gone), 'ESTALE');
      throwsCode(() => heap.gc.isTracked(gone), 'ESTALE');
      const B = other.class('B');
      throwsCode(() => a.setattr('x', B), 'ESTALE', /another heap/);
      throwsCode(() => heap.class('C', { base: B }), 'ESTALE', /another heap/);
      throwsCode(() => heap.weakref(B), 'ESTALE', /another heap/);
      throwsCode(() => heap.gc.getReferrers(B), 'ESTALE', /another heap/);
      other.dispose();
      throwsCode(() => B.new(), 'ESTALE', /disposed/);

      releaseAll(a, n, l, intType, S, s, p, A);
      assert.equal(heap.check(), true);
      heap.dispose();
      throwsCode(() => heap.class('D'), 'EDEAD');
    });

    if (variant.name === 'release') {
      test('a 1,000,000-long chain of instances is freed by dropping the head handle', async () => {
        const heap = await heapFor(variant);
        const N = heap.class('N');
        const next = heap.str('next');
        const base = N.refcount;
        let head = heap.none;
        for (let i = 0; i < 1_000_000; i++) {
          const node = N.new();
          node.setattr(next, head);
          head.release();
          head = node;
        }
        assert.equal(N.refcount, base + 1_000_000);
        head.release();
        assert.equal(N.refcount, base);
        assert.equal(heap.check(), true);
        releaseAll(next, N);
        heap.dispose();
      });
    }
  });
}
