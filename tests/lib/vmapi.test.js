// vmapi.test.js — the interpreter's fast paths (core/src/wasm/vmapi.c) added
// for speed, on the release and debug modules: the layout facts the VM reads
// linear memory with (ob_refcnt, ob_type->type_id, the collector's
// `scheduled` flag), BUILD_LIST / BUILD_TUPLE stealing the stack's
// references (sizes and counts recorded from CPython 3.12 in
// tests/fixtures/vm_build.txt by tests/record/vm_build.py), LOAD_GLOBAL, and
// the VM's own incref/decref on linear memory (web/interp/vm.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VARIANTS, moduleFor } from './helpers.js';
import { VM } from '../../web/interp/vm.js';
import { TYPE_IDS } from '../../web/lib/raw.js';

const FIXTURE = new Map(
  readFileSync(new URL('../fixtures/vm_build.txt', import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]),
);
const T = Object.fromEntries(TYPE_IDS.map((n, i) => [n, i]));

async function setup(variant) {
  const raw = await moduleFor(variant);
  const h = raw.heap_new(0, 0);
  assert.ok(h, 'heap');
  const vm = new VM(raw, h, { stdout: () => {}, stderr: () => {} });
  const done = () => { raw.hosts.delete(h); raw.heap_free(h); };
  return { raw, h, vm, done };
}

for (const variant of VARIANTS) {
  const name = variant.name;

  test(`${name}: pmw_vm_layout gives the offsets the VM reads memory with`, async () => {
    const { raw, h, vm, done } = await setup(variant);
    try {
      assert.equal(raw.vm_layout(0), 8, 'ob_type follows the u64 ob_refcnt');
      assert.equal(raw.vm_layout(2), 16384, 'PM_SCRATCH_BYTES');
      assert.equal(raw.vm_layout(3), -1);
      assert.equal(raw.vm_layout(-1), -1);
      const objs = [vm.none, vm.true_, vm.newInt(12345), vm.newStr('abc'), vm.list([]), vm.tuple([]), vm.globals,
                    vm.excClasses.get('KeyError')];
      for (const o of objs) {
        assert.equal(vm.typeId(o), raw.vm_type_id(o), `type id of ${raw.cString(raw.vm_type_name(raw.vm_type(o)))}`);
      }
      assert.equal(vm.typeId(vm.globals), T.dict);
      for (const o of objs.slice(2)) vm.decref(o);
    } finally { done(); }
  });

  test(`${name}: the VM's incref/decref on linear memory are pm_incref/pm_decref`, async () => {
    const { raw, h, vm, done } = await setup(variant);
    try {
      const none = raw.vm_refcnt(vm.none);
      vm.incref(vm.none); vm.decref(vm.none); vm.decref(vm.none);
      assert.equal(raw.vm_refcnt(vm.none), none, 'immortal: PM_IMMORTAL_REFCNT does not move');
      assert.equal(none, 0xFFFFFFFF);
      const l = vm.list([]);
      assert.equal(raw.vm_refcnt(l), 1);
      vm.incref(l); vm.incref(l);
      assert.equal(raw.vm_refcnt(l), 3);
      vm.decref(l); vm.decref(l);
      assert.equal(raw.vm_refcnt(l), 1);
      const before = raw.readStats(raw.stats(h)).bytesInAllocatedBlocks;
      const big = vm.newInt(2 ** 40);             // a fresh 32-byte int
      const after = raw.readStats(raw.stats(h)).bytesInAllocatedBlocks;
      assert.ok(after > before);
      vm.decref(big);                             // 1 -> 0: the core deallocates it
      assert.equal(raw.readStats(raw.stats(h)).bytesInAllocatedBlocks, before);
      assert.equal(raw.check(h), 0, 'heap consistent');
      vm.decref(0);                               // Py_XDECREF(NULL)
      vm.decref(l);
    } finally { done(); }
  });

  test(`${name}: BUILD_LIST / BUILD_TUPLE steal the items' references (CPython 3.12's sizes and counts)`, async () => {
    const { raw, h, vm, done } = await setup(variant);
    try {
      const item = vm.newInt(10 ** 6);
      const p = raw.obj_scratch(h);
      for (const [kind, fn] of [['list', raw.vm_build_list], ['tuple', raw.vm_build_tuple]]) {
        const before = raw.vm_refcnt(item);
        vm.incref(item); vm.incref(item);           // the two stack references
        raw.writeU32s(p, [item, item]);
        const o = fn(h, p, 2);
        assert.ok(o, `${kind} built`);
        assert.equal(raw.vm_refcnt(item) - before, FIXTURE.get(`refs.${kind}2`), `${kind}: the container holds the stolen references`);
        assert.equal(raw.obj_sizeof(h, o), FIXTURE.get(`size.${kind}2`), `sys.getsizeof of a 2-item ${kind}`);
        assert.equal(vm.typeId(o), T[kind]);
        vm.decref(o);
        assert.equal(raw.vm_refcnt(item), before, `${kind} freed: its references released`);
        const e = fn(h, p, 0);
        assert.equal(raw.obj_sizeof(h, e), FIXTURE.get(`size.${kind}0`));
        vm.decref(e);
      }
      const t1 = raw.vm_build_tuple(h, p, 0), t2 = raw.vm_build_tuple(h, p, 0);
      assert.equal(t1, t2, 'the empty tuple is a singleton');
      vm.decref(t1); vm.decref(t2);
      assert.equal(raw.vm_build_list(h, p, -1), 0, 'a negative count is refused');
      vm.decref(item);
      assert.equal(raw.check(h), 0);
    } finally { done(); }
  });

  test(`${name}: pmw_vm_load_global: globals, then builtins, a new reference; absent is 0 without an exception`, async () => {
    const { raw, h, vm, done } = await setup(variant);
    try {
      const g = vm.check(raw.dict_new(h)), b = vm.check(raw.dict_new(h));
      const k = vm.str('k'), v1 = vm.newInt(1001), v2 = vm.newInt(1002);
      raw.dict_setitem(h, b, k, v2);
      let r = raw.vm_load_global(h, g, b, k);
      assert.equal(r, v2, 'found in builtins');
      assert.equal(raw.vm_refcnt(v2), 3, 'the builtins dict, ours and the new reference');
      vm.decref(r);
      raw.dict_setitem(h, g, k, v1);
      r = raw.vm_load_global(h, g, b, k);
      assert.equal(r, v1, 'globals first');
      vm.decref(r);
      r = raw.vm_load_global(h, g, b, vm.str('missing'));
      assert.equal(r, 0);
      assert.equal(raw.exc_kind(h), 0, 'no exception: the VM raises NameError itself');
      for (const o of [g, b, v1, v2]) vm.decref(o);
    } finally { done(); }
  });

  test(`${name}: pmw_vm_gc_flag is the collector's scheduled flag the eval breaker reads`, async () => {
    const { raw, h, vm, done } = await setup(variant);
    try {
      const flag = raw.vm_gc_flag(h);
      assert.ok(flag > 0);
      raw.gc_collect(h, 2);
      raw.gc_eval_breaker(h);
      assert.equal(vm.mem()[flag >>> 2], 0);
      const held = [];
      const threshold = raw.gc_threshold(h, 0);
      for (let i = 0; i <= threshold && vm.mem()[flag >>> 2] === 0; i++) held.push(vm.list([]));
      assert.equal(vm.mem()[flag >>> 2], 1, `scheduled after ${held.length} tracked allocations`);
      assert.equal(raw.gc_is_scheduled(h), 1);
      vm.evalBreaker();                            // runs the collection
      assert.equal(vm.mem()[flag >>> 2], 0);
      assert.equal(raw.gc_is_scheduled(h), 0);
      for (const o of held) vm.decref(o);
      assert.equal(raw.vm_gc_flag(0), 0, 'a dead heap');
    } finally { done(); }
  });
}
