// classes.test.js — the wasm exports of core/src/wasm/classapi.c (user
// classes and instances), called directly on a fresh instance of each build
// (the export layer itself; web/lib's wrappers are tested in jsclasses.test.js). Expected sizes, refcounts and messages come
// from tests/fixtures/sizes_classes.txt (tests/record/sizes_classes.py,
// recorded from CPython 3.12).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ROOT, RELEASE_WASM, DEBUG_WASM } from './helpers.js';

const EINVAL = -2;
const EPYTHON = -9;

const FIXTURE = new Map(
  readFileSync(`${ROOT}tests/fixtures/sizes_classes.txt`, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
);
const fx = (k) => {
  assert.ok(FIXTURE.has(k), `fixture case ${k}`);
  return FIXTURE.get(k);
};
const fxInts = (k) => fx(k).split(' ').map(Number);

async function instantiate(url, debugChecks) {
  const bytes = readFileSync(url);
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: { emscripten_notify_memory_growth() {} },
    pyheap: { finalize() {}, call() {}, slot() { return 1; } },   // host hooks unused here
  });
  const e = instance.exports;
  const h = e.pmw_heap_new(0, debugChecks);
  assert.ok(h);
  const u8 = () => new Uint8Array(e.memory.buffer);
  const cstr = (p) => {
    const m = u8();
    let end = p;
    while (m[end]) end++;
    return new TextDecoder().decode(m.subarray(p, end));
  };
  const scratch = e.pmw_obj_scratch(h) >>> 0;
  const str = (s) => {
    const b = new TextEncoder().encode(s);
    u8().set(b, scratch);
    return e.pmw_str_new(h, scratch, b.length) >>> 0;
  };
  return { e, h, str, cstr };
}

for (const [name, url, checks] of [['release', RELEASE_WASM, 0], ['debug', DEBUG_WASM, 1]]) {
  describe(`classes through the wasm exports (${name} build)`, () => {
    test('class, instance, attributes, __dict__, lookups, validation', async () => {
      const { e, h, str, cstr } = await instantiate(url, checks);
      const ns = e.pmw_dict_new(h) >>> 0;
      const k = 'k';
      assert.equal(e.pmw_dict_setitem(h, ns, str('__module__'), str('__main__')), 0);
      assert.equal(e.pmw_dict_setitem(h, ns, str('__qualname__'), str('A')), 0);
      const seven = e.pmw_int_from_double(h, 7) >>> 0;
      assert.equal(e.pmw_dict_setitem(h, ns, str(k), seven), 0);
      const A = e.pmw_class_new(h, str('A'), 0, ns) >>> 0;
      assert.ok(A, cstr(e.pmw_error(h)));
      assert.equal(e.pmw_obj_valid(h, A), 1);
      assert.equal(e.pmw_obj_sizeof(h, A) >>> 0, Number(fx('class.A.getsizeof')));
      assert.equal(e.pmw_obj_refcnt(h, A) >>> 0, Number(fx('class.A.refcnt')));

      const a = e.pmw_instance_new(h, A) >>> 0;
      assert.ok(a);
      assert.equal(e.pmw_obj_valid(h, a), 1);
      assert.equal(e.pmw_obj_sizeof(h, a) >>> 0, Number(fx('inst.A.getsizeof')));
      assert.equal(e.pmw_obj_refcnt(h, A) >>> 0, fxInts('refcnt.instances')[1]);
      assert.match(cstr(e.pmw_obj_type_name(h, a)), /^A$/);

      // class attribute, then an instance attribute shadowing it
      assert.equal(e.pmw_getattr(h, a, str(k)) >>> 0, seven);
      e.pmw_obj_decref(h, seven);
      const eight = e.pmw_int_from_double(h, 8) >>> 0;
      assert.equal(e.pmw_setattr(h, a, str(k), eight), 0);
      assert.equal(e.pmw_getattr(h, a, str(k)) >>> 0, eight);
      e.pmw_obj_decref(h, eight);
      assert.equal(e.pmw_class_lookup(h, A, str(k)) >>> 0, seven);
      e.pmw_obj_decref(h, seven);
      assert.equal(e.pmw_class_lookup(h, A, str('nothing')), 0);
      assert.equal(e.pmw_last_status(h), 0);

      // the materialised __dict__ of the first instance: 64 + 8 * 29
      const d = e.pmw_instance_dict(h, a) >>> 0;
      assert.equal(e.pmw_obj_sizeof(h, d) >>> 0, fxInts('dictsize.fresh')[0]);
      assert.equal(e.pmw_obj_len(h, d), 1);
      e.pmw_obj_decref(h, d);

      // AttributeError with CPython's message
      assert.equal(e.pmw_getattr(h, a, str('x')), 0);
      assert.equal(e.pmw_last_status(h), EPYTHON);
      assert.equal(`AttributeError: ${cstr(e.pmw_exc_msg(h))}`, fx('error.getattr_missing'));
      assert.equal(e.pmw_delattr(h, a, str('x')), EPYTHON);
      assert.equal(e.pmw_delattr(h, a, str(k)), 0);

      // the class's dict and MRO
      const mro = e.pmw_class_mro(h, A) >>> 0;
      assert.equal(e.pmw_obj_len(h, mro), 2);
      e.pmw_obj_decref(h, mro);
      const cd = e.pmw_class_dict(h, A) >>> 0;
      assert.equal(e.pmw_obj_len(h, cd), fx('class.A.keys').split(' ').length + 1); // and k
      e.pmw_obj_decref(h, cd);

      // bad handles and wrong kinds
      for (const bad of [a + 8, A - 16, A + 16, a - 32]) assert.equal(e.pmw_obj_valid(h, bad), 0, `${bad}`);
      assert.equal(e.pmw_instance_new(h, a), 0);
      assert.equal(e.pmw_last_status(h), EINVAL);
      assert.match(cstr(e.pmw_error(h)), /expected a class, got 'A'/);
      assert.equal(e.pmw_class_new(h, str('B'), ns, ns), 0);
      assert.equal(e.pmw_last_status(h), EINVAL);
      assert.equal(e.pmw_getattr(h, a, seven), 0);
      assert.equal(e.pmw_last_status(h), EINVAL);

      // a subclass, then the instance goes: its handle is refused afterwards
      const nsB = e.pmw_dict_new(h) >>> 0;
      const B = e.pmw_class_new(h, str('B'), A, nsB) >>> 0;
      assert.ok(B);
      assert.equal(e.pmw_obj_refcnt(h, B) >>> 0, Number(fx('class.B.refcnt')));
      const b = e.pmw_instance_new(h, B) >>> 0;
      assert.equal(e.pmw_obj_valid(h, b), 1);
      assert.equal(e.pmw_obj_decref(h, b), 0);
      assert.equal(e.pmw_obj_valid(h, b), 0);
      assert.equal(e.pmw_obj_decref(h, a), 0);
      assert.equal(e.pmw_obj_valid(h, a), 0);
      assert.equal(e.pmw_obj_refcnt(h, A) >>> 0, Number(fx('class.A_with_subclass.refcnt')));
      assert.equal(e.pmw_check(h), 0);
      assert.equal(e.pmw_heap_free(h), 0);
    });

    test('a 1,000,000-long chain of instances is freed through the trashcan', async () => {
      const { e, h, str } = await instantiate(url, 0);
      const ns = e.pmw_dict_new(h) >>> 0;
      const N = e.pmw_class_new(h, str('N'), 0, ns) >>> 0;
      const next = str('next');
      let head = e.pmw_obj_singleton(h, 0) >>> 0; // None
      for (let i = 0; i < 1_000_000; i++) {
        const node = e.pmw_instance_new(h, N) >>> 0;
        assert.ok(node || false);
        if (e.pmw_setattr(h, node, next, head) !== 0) assert.fail(`setattr ${i}`);
        e.pmw_obj_decref(h, head);
        head = node;
      }
      const refs = Number(fx('class.A.refcnt'));
      assert.equal(e.pmw_obj_refcnt(h, N) >>> 0, refs + 1_000_000);
      assert.equal(e.pmw_obj_decref(h, head), 0); // a million nested deallocations
      assert.equal(e.pmw_obj_refcnt(h, N) >>> 0, refs);
      assert.equal(e.pmw_check(h), 0);
      assert.equal(e.pmw_heap_free(h), 0);
    });
  });
}
