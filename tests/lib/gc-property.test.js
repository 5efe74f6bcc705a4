// gc-property.test.js — property test of the cycle collector against an
// independent reachability model, in both wasm32 builds.
//
// Thousands of random op sequences (seeded PRNG, reproducible: a failure
// prints its build, seed and step) build object graphs through the raw wasm
// exports — lists, dicts (str keys) and instances of a class, with
// attributes — and mutate them: create, link (append / setitem / setattr),
// unlink (pop / delitem / delattr), drop a handle, collect(0 / 1 / 2).
// After every step the core is compared with a model written here from the
// rules of reference counting and CPython's generational collection, not
// from gc.c:
//
//   - refcounts: every live object's ob_refcnt equals the handles the test
//     holds on it plus the edges from live objects that point to it;
//   - refcount frees: an object whose count reaches 0 is gone at once, and
//     whatever only it kept alive with it; nothing else disappears outside a
//     collection;
//   - collect(g): the objects of generations 0..g that are not reachable
//     from outside that set (held handles, edges from older generations or
//     untracked objects) are freed, all of them and only them, and collect()
//     returns their number; the survivors move to generation g + 1 (2 stays 2);
//   - dict tracking as 3.12 does it: a new dict is untracked, storing a
//     container in it tracks it (into generation 0), a full collection
//     untracks one that holds no container;
//   - the size of each generation equals the model's (everything made before
//     the test is frozen into the permanent generation first).
//
// No finalizers or weakref callbacks take part, so nothing is resurrected.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RELEASE_WASM, DEBUG_WASM } from './helpers.js';

// ---- a seeded PRNG (xorshift128+ on two 32-bit lanes each, own code) -------------
function rng(seed) {
  let a = seed | 0 || 1, b = (seed * 2654435761) | 0 || 2, c = 0x9e3779b9, d = 0x7f4a7c15;
  const next = () => {                       // xoshiro128** step
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return r;
  };
  const rotl = (x, k) => (x << k) | (x >>> (32 - k));
  for (let i = 0; i < 8; i++) next();
  return {
    int: (n) => Math.floor(next() / 4294967296 * n),
    pick(arr) { return arr[this.int(arr.length)]; },
    chance: (p) => next() / 4294967296 < p,
  };
}

// ---- the model ----------------------------------------------------------------------
// obj: { id, kind: 'list'|'dict'|'inst', handle, held, edges: list -> [ids];
//        dict/inst -> Map(key -> id), tracked, gen }
class Model {
  constructor() { this.objs = new Map(); this.nextId = 1; }
  add(kind, handle) {
    const o = { id: this.nextId++, kind, handle, held: 1, edges: kind === 'list' ? [] : new Map(),
                tracked: kind !== 'dict', gen: 0 };
    this.objs.set(o.id, o);
    return o;
  }
  targets(o) { return o.kind === 'list' ? o.edges : [...o.edges.values()]; }
  refcounts() {
    const rc = new Map();
    for (const o of this.objs.values()) rc.set(o.id, o.held);
    for (const o of this.objs.values()) for (const t of this.targets(o)) rc.set(t, rc.get(t) + 1);
    return rc;
  }
  // objects with refcount 0 are freed, in cascade; returns the freed ids
  cascade() {
    const freed = [];
    for (;;) {
      const rc = this.refcounts();
      const dead = [...this.objs.values()].filter((o) => rc.get(o.id) === 0);
      if (!dead.length) return freed;
      for (const o of dead) { this.objs.delete(o.id); freed.push(o); }
    }
  }
  // collect(g): see the header. Returns the objects it found unreachable
  // (what collect() counts); collectFreed also has what their clearing then
  // freed by refcount (untracked dicts they alone held).
  collect(g) {
    const young = new Set([...this.objs.values()].filter((o) => o.tracked && o.gen <= g).map((o) => o.id));
    const reach = new Set();
    const stack = [];
    const root = (id) => { if (young.has(id) && !reach.has(id)) { reach.add(id); stack.push(id); } };
    for (const o of this.objs.values()) {
      if (o.held > 0) root(o.id);
      if (!young.has(o.id)) for (const t of this.targets(o)) root(t);
    }
    while (stack.length) for (const t of this.targets(this.objs.get(stack.pop()))) root(t);
    const freed = [...young].filter((id) => !reach.has(id)).map((id) => this.objs.get(id));
    for (const o of freed) this.objs.delete(o.id);
    for (const id of reach) { const o = this.objs.get(id); o.gen = Math.min(g + 1, 2); }
    if (g === 2) {
      for (const o of this.objs.values())
        if (o.kind === 'dict' && o.tracked && o.edges.size === 0) o.tracked = false;
    }
    this.collectFreed = freed.concat(this.cascade());
    return freed;
  }
  genSizes() {
    const n = [0, 0, 0];
    for (const o of this.objs.values()) if (o.tracked) n[o.gen]++;
    return n;
  }
}

// ---- the core through the raw exports ---------------------------------------------------
async function open(url, debugChecks) {
  const { instance } = await WebAssembly.instantiate(readFileSync(url), {
    env: { emscripten_notify_memory_growth() {} },
    pyheap: { finalize() {}, call() {}, slot() { return 1; } },
  });
  const e = instance.exports;
  const h = e.pmw_heap_new(0, debugChecks) >>> 0;
  assert.ok(h);
  const scratch = e.pmw_obj_scratch(h) >>> 0;
  const str = (s) => {
    const b = new TextEncoder().encode(s);
    new Uint8Array(e.memory.buffer).set(b, scratch);
    const o = e.pmw_str_new(h, scratch, b.length) >>> 0;
    assert.ok(o);
    return o;
  };
  const ns = e.pmw_dict_new(h) >>> 0;
  assert.equal(e.pmw_dict_setitem(h, ns, str('__module__'), str('__main__')), 0);
  assert.equal(e.pmw_dict_setitem(h, ns, str('__qualname__'), str('N')), 0);
  const cls = e.pmw_class_new(h, str('N'), 0, ns) >>> 0;
  assert.ok(cls);
  const keys = ['a', 'b', 'c', 'd', 'e'].map(str);          // dict keys and attribute names (not GC objects)
  return { e, h, cls, keys, scratch };
}

const KINDS = ['list', 'dict', 'inst'];

function runSequence(env, seed, steps) {
  const { e, h, cls, keys, scratch } = env;
  const r = rng(seed);
  const m = new Model();
  const where = (step, what) => `seed ${seed} step ${step} (${what})`;
  const ok = (rc, ctx) => assert.ok(rc >= 0, `${ctx}: status ${rc}`);

  const live = () => [...m.objs.values()];
  function verify(step, what, freed) {
    const ctx = where(step, what);
    for (const o of freed) assert.equal(e.pmw_obj_valid(h, o.handle), 0, `${ctx}: ${o.kind} #${o.id} should be freed`);
    const rc = m.refcounts();
    for (const o of m.objs.values()) {
      assert.equal(e.pmw_obj_valid(h, o.handle), 1, `${ctx}: ${o.kind} #${o.id} was freed but is reachable or held`);
      assert.equal(e.pmw_obj_refcnt(h, o.handle) >>> 0, rc.get(o.id), `${ctx}: refcount of ${o.kind} #${o.id}`);
      assert.equal(e.pmw_gc_is_tracked(h, o.handle), o.tracked ? 1 : 0, `${ctx}: tracking of ${o.kind} #${o.id}`);
    }
    const gens = m.genSizes();
    for (let g = 0; g < 3; g++) assert.equal(e.pmw_gc_generation_size(h, g), gens[g], `${ctx}: size of generation ${g}`);
  }

  for (let step = 0; step < steps; step++) {
    const objs = live();
    const held = objs.filter((o) => o.held > 0);
    const op = objs.length < 2 ? 0 : r.int(100);
    let what, freed = [];
    if (op < 22 || held.length === 0) {                    // create
      const kind = r.pick(KINDS);
      const hd = kind === 'list' ? e.pmw_list_new(h, scratch, 0) >>> 0
        : kind === 'dict' ? e.pmw_dict_new(h) >>> 0 : e.pmw_instance_new(h, cls) >>> 0;
      assert.ok(hd, where(step, `new ${kind}`));
      const o = m.add(kind, hd);
      what = `new ${kind} #${o.id}`;
    } else if (op < 60) {                                  // link: only through objects the test holds
      const src = r.pick(held), dst = r.pick(objs.filter((o) => o.held > 0 || r.chance(0.3)).concat(held));
      if (src.kind === 'list') {
        ok(e.pmw_list_append(h, src.handle, dst.handle), where(step, 'append'));
        src.edges.push(dst.id);
      } else {
        const ki = r.int(keys.length);
        const rc = src.kind === 'dict' ? e.pmw_dict_setitem(h, src.handle, keys[ki], dst.handle)
          : e.pmw_setattr(h, src.handle, keys[ki], dst.handle);
        ok(rc, where(step, 'setitem/setattr'));
        src.edges.set(ki, dst.id);
        if (src.kind === 'dict' && !src.tracked) { src.tracked = true; src.gen = 0; }
      }
      what = `link ${src.kind} #${src.id} -> ${dst.kind} #${dst.id}`;
      freed = m.cascade();
    } else if (op < 72) {                                  // unlink
      const src = r.pick(held);
      what = `unlink from ${src.kind} #${src.id}`;
      if (src.kind === 'list') {
        if (src.edges.length) {
          const i = r.int(src.edges.length);
          ok(e.pmw_list_delitem(h, src.handle, i), where(step, what));
          src.edges.splice(i, 1);
        }
      } else if (src.edges.size) {
        const ki = r.pick([...src.edges.keys()]);
        ok(src.kind === 'dict' ? e.pmw_dict_delitem(h, src.handle, keys[ki]) : e.pmw_delattr(h, src.handle, keys[ki]),
           where(step, what));
        src.edges.delete(ki);
      }
      freed = m.cascade();
    } else if (op < 90) {                                  // drop a handle
      const o = r.pick(held);
      ok(e.pmw_obj_decref(h, o.handle), where(step, 'decref'));
      o.held--;
      what = `drop ${o.kind} #${o.id}`;
      freed = m.cascade();
    } else {                                               // collect
      const g = r.int(3);
      what = `collect(${g})`;
      const n = e.pmw_gc_collect(h, g);
      const found = m.collect(g);
      assert.equal(n, found.length, `${where(step, what)}: collect() returned ${n}, the model finds ${found.length}`);
      freed = m.collectFreed;
    }
    verify(step, what, freed);
  }
  // teardown: drop every handle, a full collection frees all that is left
  for (const o of live()) while (o.held > 0) { ok(e.pmw_obj_decref(h, o.handle), where(steps, 'teardown')); o.held--; }
  const dropped = m.cascade();
  const n = e.pmw_gc_collect(h, 2);
  const rest = m.collect(2);
  assert.equal(m.objs.size, 0, `seed ${seed} teardown: the model keeps ${m.objs.size} objects`);
  assert.equal(n, rest.length, `seed ${seed} teardown: collect(2) returned ${n}, the model finds ${rest.length}`);
  verify(steps, 'teardown', dropped.concat(m.collectFreed));
}

const BUILDS = [['release', RELEASE_WASM, 0, 10000], ['debug', DEBUG_WASM, 1, 4000]];

describe('the collector against a reachability model', () => {
  for (const [name, url, checks, sequences] of BUILDS) {
    test(`${sequences} random op sequences (${name} build)`, async () => {
      const env = await open(url, checks);
      const { e, h } = env;
      assert.ok(e.pmw_gc_collect(h, 2) >= 0);
      assert.equal(e.pmw_gc_freeze(h), 0);                // start-up objects out of the way
      for (let g = 0; g < 3; g++) assert.equal(e.pmw_gc_generation_size(h, g), 0);
      let steps = 0;
      for (let s = 1; s <= sequences; s++) {
        const n = 10 + (s % 7) * 10;                       // 10..70 steps
        runSequence(env, s * 7919 + (checks ? 1 : 0), n);
        steps += n;
      }
      assert.equal(e.pmw_check(h), 0);
      assert.ok(steps > 10000);
    });
  }

  test('the model notices a wrong answer (a leak the core does not have)', async () => {
    // the model itself must be able to fail: a cycle dropped by hand is
    // garbage only to a collection that reaches its generation
    const m = new Model();
    const a = m.add('list', 1), b = m.add('list', 2);
    a.edges.push(b.id); b.edges.push(a.id);
    a.held = 0; b.held = 0;
    assert.equal(m.cascade().length, 0);
    m.objs.get(a.id).gen = 2; m.objs.get(b.id).gen = 1;
    assert.equal(m.collect(0).length, 0);                   // neither is in generation 0
    assert.equal(m.collect(1).length, 0);                   // b is kept alive by a in generation 2
    assert.equal(m.collect(2).length, 2);
  });
});
