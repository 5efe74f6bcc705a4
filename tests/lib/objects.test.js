// objects.test.js — the object API: handles, reference counts, sizes and
// errors, checked against CPython 3.12 recordings.
//
// Expected reference counts, exception messages, reprs and hashes come from
// tests/fixtures/refcounts_api.txt (tests/record/refcounts_api.py under
// CPython 3.12.1); sizes from the existing tests/fixtures/sizes_*.txt. Each
// scenario below mirrors the Python function of the same name in the
// recording script, one handle per Python name.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

import {
  PyheapError, PyObject, PyInt, PyBool, PyFloat, PyStr, PyBytes, PyNone, PyTuple, PyList, PyDict, PySet, PyFrozenSet,
} from '../../web/lib/index.js';
import { VARIANTS, heapFor, moduleFor } from './helpers.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const IMMORTAL = 4294967295;

/** "case value" lines of a fixture, comments skipped. */
function fixture(name) {
  const out = new Map();
  for (const line of readFileSync(new URL(name, FIXTURES), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const sp = line.indexOf(' ');
    out.set(line.slice(0, sp), line.slice(sp + 1));
  }
  return out;
}

const API = fixture('refcounts_api.txt');
const SEQ = fixture('sizes_sequences.txt');
const CONT = fixture('sizes_containers.txt');
const STR = fixture('sizes_strings.txt');
const NUM = readFileSync(new URL('sizes_numbers.txt', FIXTURES), 'utf8').split('\n').filter((l) => l.startsWith('size '));

function throwsPyheap(fn, code, re) {
  let err;
  assert.throws(fn, (e) => {
    err = e;
    return e instanceof PyheapError && e.code === code && (!re || re.test(e.message));
  }, `expected ${code}${re ? ' matching ' + re : ''}`);
  return err;
}

/** The recorded "Type: message" of a CPython exception, and what the API raised. */
function pyExc(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PyheapError, String(e));
    assert.equal(e.code, 'EPYTHON', e.message);
    assert.equal(e.kind, 'python');
    assert.ok(e.message.includes(`${e.pyType}: ${e.pyMessage}`), e.message);
    return `${e.pyType}: ${e.pyMessage}`;
  }
  assert.fail('no exception');
}

function releaseAll(...handles) {
  for (const h of handles.flat(2)) if (h instanceof PyObject && !h.released) h.release();
}

// ---- the refcount scenarios (mirrors of tests/record/refcounts_api.py) ------------

const SCENARIOS = {
  names(heap, E) {
    const a = heap.list();
    E('fresh', a);
    const b = a.dup();
    E('two_names', a);
    const c = b.dup();
    E('three_names', a);
    b.release();
    E('del_one', a);
    c.release();
    E('del_two', a);
    a.release();
  },

  append(heap, E) {
    const x = heap.int(1000);
    const lst = heap.list();
    E('x', x);
    lst.append(x);
    E('append1', x);
    lst.append(x);
    E('append2', x);
    lst.pop().release();
    E('pop_discarded', x);
    const y = lst.pop();
    E('pop_kept', x);
    E('list', lst);
    y.release();
    E('del_popped', x);
    lst.append(x);
    lst.append(x);
    E('before_del_list', x);
    lst.release();
    E('list_freed', x);
    x.release();
  },

  insert_set(heap, E) {
    const x = heap.int(1001);
    const z = heap.int(1002);
    const lst = heap.list();
    lst.insert(0, x);
    E('insert', x);
    lst.set(0, z);
    E('replaced_old', x);
    E('replaced_new', z);
    lst.insert(100, x);
    E('insert_past_end', x);
    lst.insert(-100, x);
    E('insert_before_start', x);
    lst.set(-1, z);
    E('setitem_neg_x', x);
    E('setitem_neg_z', z);
    lst.delete(0);
    E('delitem_x', x);
    lst.delete(-1);
    E('delitem_neg_z', z);
    E('list', lst);
    releaseAll(x, z, lst);
  },

  getitem(heap, E) {
    const x = heap.int(1003);
    const lst = heap.list([x]);
    E('display', x);
    const g = lst.get(0);
    E('getitem', x);
    const g2 = lst.get(-1);
    E('getitem_neg', x);
    g.release();
    g2.release();
    E('released', x);
    E('list', lst);
    releaseAll(x, lst);
  },

  slices(heap, E) {
    const x = heap.int(1004);
    const y = heap.int(1005);
    const lst = heap.list([x, y, x]);
    E('x', x);
    E('y', y);
    const m = lst.slice(0, 2);
    E('slice_x', x);
    E('slice_y', y);
    const m2 = lst.slice(null, null, 2);
    E('step_x', x);
    const n = lst.slice(5);
    E('empty_slice', n);
    const m3 = lst.slice(undefined, undefined, -1);
    E('reversed_y', y);
    lst.deleteSlice(0, 2);
    E('delslice_x', x);
    E('delslice_y', y);
    lst.deleteSlice(null, null, -1);
    E('delslice_all_x', x);
    releaseAll(m, m2, m3);
    E('end_x', x);
    E('end_y', y);
    releaseAll(x, y, lst, n);
  },

  extend(heap, E) {
    const x = heap.int(1006);
    const y = heap.int(1007);
    const t = heap.tuple([x, y]);
    E('tuple_x', x);
    const lst = heap.list();
    lst.extend(t);
    E('extend_tuple', x);
    lst.extend(lst);
    E('extend_self', x);
    const l2 = heap.list([y]);
    lst.extend(l2);
    E('extend_list_y', y);
    E('tuple', t);
    t.release();
    E('del_tuple', x);
    lst.release();
    E('del_list_x', x);
    E('del_list_y', y);
    releaseAll(x, y, l2);
  },

  tuple(heap, E) {
    const x = heap.float(1.5);
    const t = heap.tuple([x, x, x]);
    E('x', x);
    const u = t.get(1);
    E('getitem', x);
    const w = t.get(-3);
    E('getitem_neg', x);
    E('tuple', t);
    t.release();
    E('del_tuple', x);
    u.release();
    w.release();
    E('del_items', x);
    x.release();
  },

  dict(heap, E) {
    const k = heap.str('key');
    const v = heap.int(2000);
    const w = heap.int(2001);
    const d = heap.dict();
    d.set(k, v);
    E('set_k', k);
    E('set_v', v);
    d.set(k, v);
    E('again_k', k);
    E('again_v', v);
    d.set(k, w);
    E('replace_v', v);
    E('replace_w', w);
    E('replace_k', k);
    d.get(k).release();
    const g = d.get(k);
    E('getitem', w);
    g.release();
    const k2 = heap.str('key');
    d.set(k2, v);
    E('equal_key_k', k);
    E('equal_key_k2', k2);
    E('equal_key_v', v);
    E('equal_key_w', w);
    assert.equal(d.has(k2), true);
    E('contains_k2', k2);
    d.delete(k2);
    E('delitem_k', k);
    E('delitem_v', v);
    d.set(v, k2);
    E('int_key_v', v);
    E('int_key_k2', k2);
    E('dict', d);
    d.release();
    E('freed_v', v);
    E('freed_k2', k2);
    releaseAll(k, v, w, k2);
  },

  dict_iter(heap, E) {
    const [k1, k2, k3] = ['a1', 'a2', 'a3'].map((s) => heap.str(s));
    const [v1, v2, v3] = [3001, 3002, 3003].map((n) => heap.int(n));
    const d = heap.dict();
    d.set(k1, v1);
    d.set(k2, v2);
    d.set(k3, v3);
    const ks = [...d.keys()];
    E('keys_k1', k1);
    E('keys_v1', v1);
    const vs = [...d.values()];
    E('values_v2', v2);
    const its = [...d.items()];
    E('items_k3', k3);
    E('items_v3', v3);
    releaseAll(ks, vs, its);
    E('after_k1', k1);
    E('after_v3', v3);
    d.release();
    E('freed_k1', k1);
    E('freed_v1', v1);
    releaseAll(k1, k2, k3, v1, v2, v3);
  },

  set(heap, E) {
    const k = heap.str('elem');
    const s = heap.set();
    s.add(k);
    E('add', k);
    s.add(k);
    E('add_again', k);
    const k2 = heap.str('elem');
    s.add(k2);
    E('add_equal_k', k);
    E('add_equal_k2', k2);
    assert.equal(s.has(k2), true);
    assert.equal(s.discard(k2), true);
    E('discard_k', k);
    assert.equal(s.discard(k), false);
    E('discard_missing_k', k);
    const fs = heap.frozenset([k, k2]);
    E('frozenset_k', k);
    E('frozenset_k2', k2);
    const s2 = heap.set([k, k2]);
    E('display_k', k);
    E('display_k2', k2);
    const es = [...s2];
    E('iter_k', k);
    E('set', s2);
    releaseAll(es, s2, fs);
    E('freed_k', k);
    E('freed_k2', k2);
    releaseAll(k, k2, s);
  },

  nested(heap, E) {
    const inner = heap.list();
    const outer = heap.list([inner]);
    E('inner', inner);
    const pair = heap.tuple([outer, inner]);
    E('pair_inner', inner);
    E('pair_outer', outer);
    outer.release();
    E('outer_in_pair_inner', inner);
    pair.release();
    E('all_freed_inner', inner);
    inner.release();
  },

  immortal(heap, E) {
    const hs = {
      none: heap.none,
      true: heap.true,
      false: heap.false,
      small_int: heap.int(5),
      small_int_neg: heap.int('-5'),
      int_256: heap.int(256),
      int_257: heap.int(257),
      int_minus6: heap.int(-6),
      empty_tuple: heap.tuple([]),
      empty_str: heap.str(''),
      one_char_str: heap.str('a'),
      latin1_str: heap.str('é'),
      two_char_str: heap.str('ab'),
      empty_bytes: heap.bytes([]),
      one_byte: heap.bytes([7]),
      float_zero: heap.float(0),
    };
    for (const [step, h] of Object.entries(hs)) E(step, h);
    const lst = heap.list([null, null]);
    E('none_in_list', hs.none);
    releaseAll(Object.values(hs), lst);
  },
};

// ---- sizes fixtures helpers ------------------------------------------------------------

/** A str spec of sizes_strings.txt ("61x3_e9x1") as a JS string. */
function specString(spec) {
  if (spec === 'empty') return '';
  return spec.split('_').map((run) => {
    const [cp, n] = run.split('x');
    return String.fromCodePoint(parseInt(cp, 16)).repeat(Number(n));
  }).join('');
}

function specBytes(spec) {
  if (spec === 'empty') return [];
  return spec.split('_').flatMap((run) => {
    const [b, n] = run.split('x');
    return Array(Number(n)).fill(parseInt(b, 16));
  });
}

/** Python float.hex() text ("-0x1.8p+0") as a number. */
function parseHexFloat(s) {
  const m = /^(-?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]\d+)$/.exec(s);
  assert.ok(m, s);
  const frac = m[3] ?? '';
  const mant = parseInt(m[2] + frac, 16) / 16 ** frac.length;
  const v = mant * 2 ** Number(m[4]);
  return m[1] ? -v : v;
}

/** "a:b:c" slice text of sizes_sequences.py ('' = None). */
function sliceParts(text) {
  return text.split(':').map((v) => (v === '' ? null : Number(v)));
}

// ---- the suites ---------------------------------------------------------------------------

for (const variant of VARIANTS) {
  describe(`objects (${variant.name} build)`, () => {
    test('reference counts follow CPython 3.12 (one handle = one name)', async () => {
      const heap = await heapFor(variant);
      const got = new Map();
      for (const [name, fn] of Object.entries(SCENARIOS)) {
        fn(heap, (step, h) => got.set(`rc.${name}.${step}`, String(h.refcount)));
      }
      const expected = new Map([...API].filter(([k]) => k.startsWith('rc.')));
      assert.ok(expected.size > 100, 'the fixture has the scenarios');
      assert.deepEqual([...got.keys()], [...expected.keys()], 'the same observations, in the same order');
      for (const [k, v] of expected) assert.equal(got.get(k), v, k);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('exception types and messages are CPython\'s', async () => {
      const heap = await heapFor(variant);
      const lst = heap.list([1, 2, 3]);
      const t = heap.tuple([1, 2, 3]);
      const d = heap.dict();
      const s = heap.set();
      const key = heap.tuple([1, 'xy']);
      const cases = {
        list_get: () => lst.get(5),
        list_get_neg: () => lst.get(-4),
        list_pop_empty: () => {
          const empty = heap.list();
          empty.pop();
        },
        list_pop_range: () => lst.pop(10),
        list_set_range: () => lst.set(10, 0),
        list_del_range: () => lst.delete(10),
        list_slice_step0: () => lst.slice(null, null, 0),
        tuple_get: () => t.get(3),
        dict_get_str: () => d.get('missing'),
        dict_get_int: () => d.get(42),
        dict_get_tuple: () => d.get(key),
        dict_del: () => d.delete('missing'),
        dict_set_unhashable: () => d.set([], 1),
        set_add_unhashable: () => s.add({}),
        hash_list: () => {
          const l = heap.list();
          l.hash();
        },
        len_int: () => {
          const five = heap.int(5);
          five.len();
        },
        int_parse: () => heap.int('12x'),
      };
      for (const [name, fn] of Object.entries(cases)) {
        assert.equal(pyExc(fn), API.get(`exc.${name}`), name);
      }
      assert.equal([...API.keys()].filter((k) => k.startsWith('exc.')).length, Object.keys(cases).length);
      // the failed operations changed nothing
      assert.equal(lst.length, 3);
      assert.equal(d.length, 0);
      assert.equal(s.length, 0);
      const e = throwsPyheap(() => d.get('missing'), 'EPYTHON', /^dict\.get\("missing"\): KeyError: 'missing' \(EPYTHON\)$/);
      assert.equal(e.pyType, 'KeyError');
      assert.equal(e.pyMessage, "'missing'");
      assert.equal(heap.check(), true);
      releaseAll(lst, t, d, s, key);
      heap.dispose();
    });

    test('repr and hash are CPython\'s', async () => {
      const heap = await heapFor(variant);
      const one = heap.tuple([1]);
      const inner = heap.dict({ k: [new Uint8Array([0x78])] });
      const fs = heap.frozenset([2]);
      const empty = heap.tuple([]);
      const mixed = heap.list([1, 'two', 3.5, null, true, one, inner, new Set([1]), fs, empty, -7]);
      assert.equal(mixed.repr(), API.get('repr.mixed'));
      releaseAll(one, inner, fs, empty, mixed);
      const quotes = heap.list(["it's", 'say "hi"', '\n', 'é€']);
      assert.equal(quotes.repr(), API.get('repr.nested_quotes'));
      const big = heap.int(2n ** 100n);
      assert.equal(big.repr(), API.get('repr.bigint'));
      const small = heap.float(1e-7);
      assert.equal(small.repr(), API.get('repr.float_small'));
      const l = heap.list([1, 2]);
      l.append(l);
      assert.equal(l.repr(), API.get('repr.self_list'));
      l.pop().release(); // break the cycle (no collector yet)
      l.release();
      const d = heap.dict();
      d.set('self', d);
      assert.equal(d.repr(), API.get('repr.self_dict'));
      d.delete('self');
      d.release();

      const hashes = {
        str_abc: heap.str('abc'),
        bytes_abc: heap.bytes(new TextEncoder().encode('abc')),
        int_1000: heap.int(1000),
        int_minus1: heap.int(-1),
        int_big: heap.int(2n ** 100n),
        float_1_5: heap.float(1.5),
        tuple_1_2: heap.tuple([1, 2]),
        frozenset_1_2: heap.frozenset([1, 2]),
      };
      for (const [name, h] of Object.entries(hashes)) assert.equal(h.hash(), BigInt(API.get(`hash.${name}`)), name);
      releaseAll(Object.values(hashes));
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('getsizeof matches the recorded CPython sizes (sizes_*.txt)', async () => {
      const heap = await heapFor(variant);
      // lists: the growth pattern of append, pop and insert on one list, as recorded
      const l = heap.list();
      assert.equal(String(l.sizeof), SEQ.get('list_append.0'));
      for (let n = 1; n <= 40; n++) {
        l.append(null);
        assert.equal(String(l.sizeof), SEQ.get(`list_append.${n}`), `list_append.${n}`);
      }
      while (l.length) {
        l.pop().release();
        assert.equal(String(l.sizeof), SEQ.get(`list_pop.${l.length}`), `list_pop.${l.length}`);
      }
      l.release();
      const li = heap.list();
      for (let n = 1; n <= 40; n++) {
        li.insert(0, null);
        assert.equal(String(li.sizeof), SEQ.get(`list_insert.${n}`), `list_insert.${n}`);
      }
      li.release();
      const src20 = heap.list(Array.from({ length: 20 }, (_, i) => i));
      for (const [k, v] of SEQ) {
        if (k.startsWith('list_slice.')) {
          const s = src20.slice(...sliceParts(k.slice('list_slice.'.length)));
          assert.equal(String(s.sizeof), v, k);
        } else if (k.startsWith('list_delslice.')) {
          const d = heap.list();
          for (let i = 0; i < 40; i++) d.append(null);
          d.deleteSlice(...sliceParts(k.slice('list_delslice.'.length)));
          assert.equal(`${d.sizeof} ${d.length}`, v, k);
        } else if (k.startsWith('tuple_size.')) {
          const n = Number(k.slice('tuple_size.'.length));
          const t = heap.tuple(Array.from({ length: n }, (_, i) => i));
          assert.equal(String(t.sizeof), v, k);
        }
      }
      src20.release();
      // dicts and sets: sizes after each insertion
      for (const [name, key] of [['dict_str_insert', (i) => `k${i}`], ['dict_int_insert', (i) => i]]) {
        const want = CONT.get(name).split(' ');
        const d = heap.dict();
        const got = [String(d.sizeof)];
        for (let i = 0; i < want.length - 1; i++) {
          d.set(key(i), 1);
          got.push(String(d.sizeof));
        }
        assert.deepEqual(got, want, name);
      }
      {
        const want = CONT.get('set_add_int').split(' ');
        const s = heap.set();
        const got = [String(s.sizeof)];
        for (let i = 0; i < want.length - 1; i++) {
          s.add(i);
          got.push(String(s.sizeof));
        }
        assert.deepEqual(got, want, 'set_add_int');
      }
      // str and bytes: every recorded size of a fresh str (no lone surrogates:
      // they cannot cross as UTF-8) and of bytes
      let nstr = 0;
      for (const [k, v] of STR) {
        let h;
        if (k.startsWith('size.str.') && !k.includes('d800')) h = heap.str(specString(k.slice('size.str.'.length)));
        else if (k.startsWith('size.bytes.')) h = heap.bytes(specBytes(k.slice('size.bytes.'.length)));
        else continue;
        assert.equal(String(h.sizeof), v, k);
        h.release();
        nstr++;
      }
      assert.ok(nstr > 500, `${nstr} str/bytes sizes compared`);
      // numbers
      for (const line of NUM) {
        const [, spec, v] = line.split(' ');
        let h;
        if (spec.startsWith('i:')) {
          const hexText = spec.slice(2);
          h = heap.int(hexText.startsWith('-') ? -BigInt(hexText.slice(1)) : BigInt(hexText));
        } else if (spec.startsWith('b:')) h = spec === 'b:1' ? heap.true : heap.false;
        else if (spec.startsWith('f:')) h = heap.float(parseHexFloat(spec.slice(2)));
        else continue;
        assert.equal(String(h.sizeof), v, line);
        h.release();
      }
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('toJS, typeName, len and the handle classes', async () => {
      const heap = await heapFor(variant);
      const cases = [
        [heap.none, PyNone, 'NoneType', null],
        [heap.true, PyBool, 'bool', true],
        [heap.false, PyBool, 'bool', false],
        [heap.int(-42), PyInt, 'int', -42],
        [heap.int(2 ** 60), PyInt, 'int', 2n ** 60n],
        [heap.int('-1_000'), PyInt, 'int', -1000],
        [heap.float(-0.25), PyFloat, 'float', -0.25],
        [heap.float(NaN), PyFloat, 'float', NaN],
        [heap.str('héllo €😀'), PyStr, 'str', 'héllo €😀'],
        [heap.bytes([0, 255]), PyBytes, 'bytes', new Uint8Array([0, 255])],
        [heap.tuple([1, 'a']), PyTuple, 'tuple', [1, 'a']],
        [heap.list([[1], [2.5]]), PyList, 'list', [[1], [2.5]]],
        [heap.dict([['a', 1], [2, null]]), PyDict, 'dict', new Map([['a', 1], [2, null]])],
        [heap.set([3]), PySet, 'set', new Set([3])],
        [heap.frozenset(['x']), PyFrozenSet, 'frozenset', new Set(['x'])],
      ];
      for (const [h, Cls, typeName, value] of cases) {
        assert.ok(h instanceof Cls, typeName);
        assert.equal(h.typeName, typeName);
        assert.deepEqual(h.toJS(), value, typeName);
        assert.equal(h.heap, heap);
        assert.equal(typeof h.id, 'number');
      }
      assert.equal(cases[8][0].length, 8, 'code points, not UTF-16 units');
      assert.equal(cases[12][0].len(), 2);
      throwsPyheap(() => cases[3][0].len(), 'EPYTHON', /object of type 'int' has no len\(\)/);
      // a container that contains itself has no JS value
      const l = heap.list();
      l.append(l);
      throwsPyheap(() => l.toJS(), 'EINVAL', /contains itself/);
      l.delete(0);
      // shared (not recursive) items are fine
      const shared = heap.list([1]);
      const twice = heap.list([shared, shared]);
      assert.deepEqual(twice.toJS(), [[1], [1]]);
      releaseAll(cases.map((c) => c[0]), l, shared);
      // argument checking on the JS side
      throwsPyheap(() => heap.int(1.5), 'EINVAL', /not an integer/);
      throwsPyheap(() => heap.str('\ud800'), 'EINVAL', /lone surrogate/);
      throwsPyheap(() => heap.bytes([256]), 'EINVAL', /0 to 255/);
      throwsPyheap(() => heap.list(5), 'EINVAL', /iterable/);
      const li = heap.list([1]);
      throwsPyheap(() => li.get(0.5), 'EINVAL', /integer/);
      throwsPyheap(() => new PyObject(), 'EINVAL', /heap\.int\(\)/);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('identity and equality: is(), equals(), singletons, dup()', async () => {
      const heap = await heapFor(variant);
      const a = heap.int(5);
      const b = heap.int(5);
      assert.equal(a.is(b), true, 'small ints are cached');
      assert.equal(a.id, b.id);
      const c = heap.int(1000);
      const d = heap.int(1000);
      assert.equal(c.is(d), false);
      assert.equal(c.equals(d), true);
      assert.equal(c.equals(1000), true);
      assert.equal(c.equals('1000'), false);
      const n1 = heap.none;
      const n2 = heap.none;
      assert.notEqual(n1, n2, 'each access is a new handle');
      assert.equal(n1.is(n2), true);
      const e = c.dup();
      assert.equal(e.is(c), true);
      assert.equal(c.refcount, 2);
      releaseAll(a, b, c, d, n1, n2, e);
      heap.dispose();
    });

    test('stale handles: released, disposed heap, another heap — ESTALE, and the heap stays sound', async () => {
      const heap = await heapFor(variant);
      const other = await heapFor(variant);
      const x = heap.int(1234);
      const l = heap.list();
      x.release();
      for (const fn of [() => x.refcount, () => x.repr(), () => x.toJS(), () => x.dup(), () => x.id, () => l.append(x)]) {
        throwsPyheap(fn, 'ESTALE', /released/);
      }
      throwsPyheap(() => x.release(), 'ESTALE', /already released/);
      x[Symbol.dispose](); // harmless
      assert.equal(x.released, true);
      // a handle of another heap
      const y = other.str('elsewhere');
      const e = throwsPyheap(() => l.append(y), 'ESTALE', /another heap/);
      assert.equal(e.kind, 'state');
      throwsPyheap(() => heap.list([y]), 'ESTALE', /another heap/);
      throwsPyheap(() => heap.from(y), 'ESTALE', /another heap/);
      assert.equal(l.is(y), false);
      assert.equal(y.refcount, 1, 'nothing was linked');
      assert.equal(l.length, 0);
      assert.equal(heap.check(), true);
      assert.equal(other.check(), true);
      // dispose invalidates every handle of that heap, not of the other
      const handles = [l, heap.dict({ a: 1 }), heap.set([1]), heap.str('s'), heap.none, heap.tuple([1, 2])];
      heap.dispose();
      for (const h of handles) {
        assert.equal(h.released, true);
        throwsPyheap(() => h.refcount, 'ESTALE', /disposed/);
        throwsPyheap(() => h.repr(), 'ESTALE', /disposed/);
        assert.equal(h.release(), false, 'release() after dispose has nothing to release');
        h[Symbol.dispose]();
      }
      throwsPyheap(() => heap.int(1), 'EDEAD');
      assert.equal(y.toJS(), 'elsewhere');
      y.release();
      assert.equal(other.check(), true);
      other.dispose();
    });

    test('releasing the last handle frees the object; free lists keep theirs, as in CPython', async () => {
      const heap = await heapFor(variant);
      const inUse = () => {
        const s = heap.stats();
        return { blocks: s.classes.reduce((n, c) => n + c.blocksInUse, 0), raw: s.rawBlocks };
      };
      const before = inUse();
      const objs = [
        heap.str('x'.repeat(100)),          // pymalloc block
        heap.str('y'.repeat(2000)),         // raw block (> 512 bytes)
        heap.int(10n ** 50n),
        heap.bytes(new Uint8Array(100)),
        heap.set(Array.from({ length: 20 }, (_, i) => 1000 + i)), // set + its table + 20 ints
      ];
      const during = inUse();
      // pymalloc: str, int, bytes, set and its 20 ints; raw: the long str and the set's 64-slot table
      assert.equal(during.blocks, before.blocks + 24, 'objects take blocks');
      assert.equal(during.raw, before.raw + 2, 'the long str and the set table are raw blocks');
      releaseAll(objs);
      assert.deepEqual(inUse(), before, 'all of it is given back');
      // a dict goes to the dict free list: its block stays, and the next {} reuses it
      const d = heap.dict();
      const id = d.id;
      d.release();
      const d2 = heap.dict();
      assert.equal(d2.id, id);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('iteration: fresh handles per item; RuntimeError when the size changes', async () => {
      const heap = await heapFor(variant);
      const d = heap.dict({ a: 1, b: 2 });
      const e = throwsPyheap(() => {
        for (const k of d) {
          k.release();
          d.set('c', 3);
        }
      }, 'EPYTHON', /RuntimeError: dictionary changed size during iteration/);
      assert.equal(e.pyType, 'RuntimeError');
      const s = heap.set([1, 2]);
      throwsPyheap(() => {
        for (const k of s) {
          k.release();
          s.add(3);
        }
      }, 'EPYTHON', /Set changed size during iteration/);
      const l = heap.list([1, 2, 3]);
      const seen = [];
      for (const x of l) {
        seen.push(x.toJS());
        x.release();
        if (seen.length === 1) l.pop().release(); // a list iterator just stops at the new end
      }
      assert.deepEqual(seen, [1, 2]);
      const arr = l.toArray();
      assert.equal(arr.length, 2);
      assert.equal(arr[0].refcount, IMMORTAL);
      releaseAll(arr, d, s, l);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('large inputs go through host transfer buffers', async () => {
      const heap = await heapFor(variant);
      const text = 'é'.repeat(30000) + '€'; // 60,003 bytes of UTF-8, beyond the 16 KiB transfer buffer
      const s = heap.str(text);
      assert.equal(s.length, 30001);
      assert.equal(s.toJS(), text);
      assert.equal(s.repr().length, text.length + 2);
      const n = 5000; // 20,000 bytes of handles
      const l = heap.list(Array.from({ length: n }, (_, i) => i % 200));
      assert.equal(l.length, n);
      assert.equal(l.sizeof, 56 + 8 * n);
      const b = heap.bytes(new Uint8Array(40000).fill(7));
      assert.equal(b.sizeof, 33 + 40000);
      assert.equal(b.toJS().length, 40000);
      const big = heap.int('9'.repeat(3000));
      assert.equal(big.toJS(), 10n ** 3000n - 1n);
      releaseAll(s, l, b, big);
      assert.equal(heap.check(), true);
      heap.dispose();
    });

    test('MemoryError at the heap limit leaves the heap consistent', async () => {
      const heap = await heapFor(variant, { limit: 4 << 20 });
      const held = [];
      let err;
      try {
        for (let i = 0; i < 100; i++) held.push(heap.str(String(i).padStart(200000, 'x')));
      } catch (e) {
        err = e;
      }
      assert.ok(err, 'the limit was reached');
      assert.equal(err.code, 'ENOMEM');
      assert.equal(err.pyType, 'MemoryError');
      assert.equal(heap.check(), true);
      releaseAll(held);
      const again = heap.str('fits again'.repeat(10));
      assert.equal(again.length, 100);
      heap.dispose();
    });

    test('two heaps side by side keep their own objects and counts', async () => {
      const h1 = await heapFor(variant);
      const h2 = await heapFor(variant);
      const x1 = h1.int(777777);
      const x2 = h2.int(777777);
      const l1 = h1.list([x1, x1]);
      const l2 = h2.list([x2]);
      assert.equal(x1.refcount, 3);
      assert.equal(x2.refcount, 2);
      assert.notEqual(x1.id, x2.id);
      assert.equal(x1.equals(x1), true);
      throwsPyheap(() => x1.equals(x2), 'ESTALE', /another heap/);
      assert.equal(l1.repr(), '[777777, 777777]');
      assert.equal(l2.repr(), '[777777]');
      l1.release();
      assert.equal(x1.refcount, 1);
      assert.equal(x2.refcount, 2);
      releaseAll(x1, x2, l2);
      assert.equal(h1.check(), true);
      assert.equal(h2.check(), true);
      h1.dispose();
      assert.equal(h2.none.refcount, IMMORTAL);
      h2.dispose();
    });
  });
}

// ---- the core's own validation (raw exports, no JS handles in between) -----------------------

for (const variant of VARIANTS) {
  describe(`object handle validation in the core (${variant.name} build)`, () => {
    const EBADPTR = -4;
    const EFREED = -5;
    const EINVAL = -2;
    const EDEAD = -8;

    test('pmw_obj_valid accepts live objects and refuses everything else', async () => {
      const raw = await moduleFor(variant);
      const h = raw.heap_new(0, variant.options.debug ? 1 : 0);
      const h2 = raw.heap_new(0, 0);
      const scratch = raw.obj_scratch(h);
      const str = (s) => {
        const bytes = new TextEncoder().encode(s);
        raw.writeBytes(scratch, bytes);
        return raw.str_new(h, scratch, bytes.length);
      };
      const lst = raw.list_new(h, scratch, 0);
      for (let i = 0; i < 6; i++) {
        const it = raw.int_from_double(h, 5000 + i);
        assert.equal(raw.list_append(h, lst, it), 0);
        raw.obj_decref(h, it);
      }
      const live = {
        list: lst,
        str: str('a live str'),
        bigstr: str('z'.repeat(1000)),
        float: raw.float_new(h, 2.5),
        dict: raw.dict_new(h),
        small_int: raw.int_from_double(h, 7),
        one_char: str('a'),
        none: raw.obj_singleton(h, 0),
        true: raw.obj_singleton(h, 1),
      };
      for (const [name, p] of Object.entries(live)) {
        assert.ok(p, name);
        assert.equal(raw.obj_valid(h, p), 1, name);
      }
      const itemArray = raw.readU32(lst + 24); // pm_list.ob_item on wasm32
      const bad = {
        null: 0,
        misaligned: lst + 1,
        interior: lst + 16,
        gc_head: lst - 16,
        item_array: itemArray,
        str_data: live.str + 48,
        scratch,
        other_heap: raw.str_new(h2, scratch, 0) || raw.obj_singleton(h2, 0), // h2's None
        beyond: 0xfffffff0,
      };
      for (const [name, p] of Object.entries(bad)) {
        assert.equal(raw.obj_valid(h, p), 0, name);
        assert.ok([EBADPTR, EFREED].includes(raw.last_status(h)), `${name}: ${raw.last_status(h)}`);
        assert.match(raw.cString(raw.error(h)), /not (a live )?(an )?object/, name);
      }
      // a freed object: EFREED, and operations on it are refused
      const gone = str('soon freed');
      assert.equal(raw.obj_decref(h, gone), 0);
      assert.equal(raw.obj_valid(h, gone), 0);
      assert.equal(raw.last_status(h), EFREED);
      assert.equal(raw.obj_decref(h, gone), EFREED, 'no double decref');
      assert.equal(raw.list_append(h, lst, gone), EFREED);
      assert.equal(raw.obj_refcnt(h, gone), 0);
      // wrong types and foreign transfer buffers
      assert.equal(raw.list_append(h, live.dict, live.str), EINVAL);
      assert.match(raw.cString(raw.error(h)), /expected a list object, got 'dict'/);
      assert.equal(raw.str_new(h, 64, 4), 0);
      assert.equal(raw.last_status(h), EINVAL);
      assert.equal(raw.tuple_new(h, scratch + 2, 1), 0, 'misaligned item array');
      raw.writeU32s(scratch, [live.str, lst + 16]);
      assert.equal(raw.list_new(h, scratch, 2), 0, 'one bad item refuses the whole list');
      assert.equal(raw.obj_refcnt(h, live.str), 1, 'and nothing was linked');
      const buf = raw.buf_alloc(8);
      assert.ok(buf);
      assert.equal(raw.buf_free(buf), 0);
      assert.equal(raw.buf_free(buf), EBADPTR);
      assert.equal(raw.check(h), 0);
      // a dead heap
      assert.equal(raw.heap_free(h2), 0);
      assert.equal(raw.obj_valid(h2, live.list), EDEAD);
      assert.equal(raw.list_new(h2, scratch, 0), 0);
      for (const p of Object.values(live)) raw.obj_decref(h, p);
      assert.equal(raw.check(h), 0);
      raw.heap_free(h);
    });
  });
}

// ---- the FinalizationRegistry backstop ----------------------------------------------------------

describe('leaked handles', () => {
  /** A FinalizationRegistry whose "collection" the test triggers (tree-sitter's memory test). */
  class ManualRegistry {
    static last = null;
    constructor(cleanup) {
      this.cleanup = cleanup;
      this.held = new Map();
      ManualRegistry.last = this;
    }
    register(target, held, token) { this.held.set(token, held); }
    unregister(token) { return this.held.delete(token); }
    collect(token) {
      const held = this.held.get(token);
      this.held.delete(token);
      this.cleanup(held);
    }
  }

  async function withManualRegistry(variant, fn) {
    const Real = globalThis.FinalizationRegistry;
    const warn = console.warn;
    const warnings = [];
    globalThis.FinalizationRegistry = ManualRegistry;
    console.warn = (msg) => warnings.push(String(msg));
    try {
      const heap = await heapFor(variant);
      const first = heap.none; // the heap's registry is made with its first handle
      globalThis.FinalizationRegistry = Real;
      first.release();
      await fn(heap, ManualRegistry.last, warnings);
      heap.dispose();
    } finally {
      globalThis.FinalizationRegistry = Real;
      console.warn = warn;
    }
  }

  for (const variant of VARIANTS) {
    test(`a collected handle gives its reference back; the debug build says so (${variant.name})`, async () => {
      await withManualRegistry(variant, (heap, reg, warnings) => {
        const a = heap.int(5000);
        const b = a.dup();
        const c = a.dup();
        assert.equal(reg.held.size, 3);
        c.release();
        assert.equal(reg.held.size, 2, 'release() unregisters');
        assert.equal(a.refcount, 2);
        reg.collect(b); // as if b had become unreachable
        assert.equal(a.refcount, 1);
        if (variant.options.debug) {
          assert.equal(warnings.length, 1);
          assert.match(warnings[0], new RegExp(`handle to an int object \\(id 0x${a.id.toString(16).padStart(8, '0')}\\).*without release\\(\\)`));
        } else {
          assert.equal(warnings.length, 0);
        }
        assert.equal(heap.check(), true);
        // after dispose, a late finalizer does nothing
        heap.dispose();
        reg.collect(a);
        assert.equal(warnings.length, variant.options.debug ? 1 : 0);
      });
    });
  }

  test('with the real collector', async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc');
    const heap = await heapFor(VARIANTS[0]);
    const keep = heap.str('kept alive');
    (() => {
      for (let i = 0; i < 10; i++) keep.dup(); // ten leaked handles
    })();
    assert.equal(keep.refcount, 11);
    for (let i = 0; i < 50 && keep.refcount > 1; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(keep.refcount, 1, 'the leaked handles released their references');
    keep.release();
    assert.equal(heap.check(), true);
    heap.dispose();
  });
});
