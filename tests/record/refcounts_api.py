#!/usr/bin/env python3
"""Records what the JavaScript object API must report, from real CPython 3.12,
for tests/lib/objects.test.js.

    PYENV_VERSION=3.12.1 python3.12 tests/record/refcounts_api.py > tests/fixtures/refcounts_api.txt

Never edit the output by hand; rerun this script. Every line is

    <case> <value>

(the case has no spaces; the value is the rest of the line). Lines starting
with '#' are comments.

The rule that makes the numbers comparable: one JavaScript handle stands for
one Python name. Each scenario below binds every object it watches to a local
name, and objects are made at run time (int('1000'), ''.join(...)), never
from literals, whose code-object constants would hold extra references. The
JS test performs the same operations with handles, in the same order, and
compares `handle.refcount` with the recorded value.

Sections
  rc.<scenario>.<step>   the object's reference count at that step, counting
                         names and container slots only: sys.getrefcount(x)
                         minus the references the measuring call itself adds
                         (calibrated below); immortal objects report
                         4294967295 unchanged, as 3.12's sys.getrefcount does
  exc.<case>             "<ExceptionType>: <str(exception)>"
  repr.<case>            repr() of a structure
  hash.<case>            hash() with PYTHONHASHSEED=0 (the script re-executes
                         itself with it; the model's default seed is 0 too)
"""
import os
import sys

assert sys.version_info[:2] == (3, 12), "record with CPython 3.12 (PYENV_VERSION=3.12.1 python3.12)"
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))

IMMORTAL = 2**32 - 1
out = []


def emit(case, value):
    assert " " not in case and "\n" not in str(value), case
    out.append("%s %s" % (case, value))


def refcount(obj):
    """The count a JS handle reports when each Python name is one handle.
    Call it directly from the scenario function: OFFSET is calibrated at that
    call depth (the caller's argument push, this frame's parameter and
    getrefcount's own argument)."""
    n = sys.getrefcount(obj)
    return n if n == IMMORTAL else n - OFFSET


OFFSET = 0


def _calibrate():
    probe = []          # exactly one reference: this name
    return refcount(probe) - 1


OFFSET = _calibrate()


def _check_calibration():
    a = []
    b = a
    assert refcount(a) == 2, refcount(a)
    del b
    assert refcount(a) == 1


_check_calibration()


# Fresh objects, each with a single reference once bound to a name.
def fresh_int(n):
    return int(str(n))


def fresh_float(x):
    return float(repr(x))


def fresh_str(s):
    assert len(s) >= 2    # one-character strs are singletons
    return "".join(list(s))


# ---- refcount scenarios ---------------------------------------------------------
# Each scenario's JS twin lives in tests/lib/objects.test.js under the same name.

def s_names():
    a = []
    emit("rc.names.fresh", refcount(a))
    b = a
    emit("rc.names.two_names", refcount(a))
    c = b
    emit("rc.names.three_names", refcount(a))
    del b
    emit("rc.names.del_one", refcount(a))
    del c
    emit("rc.names.del_two", refcount(a))


def s_append():
    x = fresh_int(1000)
    lst = []
    emit("rc.append.x", refcount(x))
    lst.append(x)
    emit("rc.append.append1", refcount(x))
    lst.append(x)
    emit("rc.append.append2", refcount(x))
    lst.pop()
    emit("rc.append.pop_discarded", refcount(x))
    y = lst.pop()
    emit("rc.append.pop_kept", refcount(x))
    emit("rc.append.list", refcount(lst))
    del y
    emit("rc.append.del_popped", refcount(x))
    lst.append(x)
    lst.append(x)
    emit("rc.append.before_del_list", refcount(x))
    del lst
    emit("rc.append.list_freed", refcount(x))


def s_insert_set():
    x = fresh_int(1001)
    z = fresh_int(1002)
    lst = []
    lst.insert(0, x)
    emit("rc.insert_set.insert", refcount(x))
    lst[0] = z
    emit("rc.insert_set.replaced_old", refcount(x))
    emit("rc.insert_set.replaced_new", refcount(z))
    lst.insert(100, x)
    emit("rc.insert_set.insert_past_end", refcount(x))
    lst.insert(-100, x)
    emit("rc.insert_set.insert_before_start", refcount(x))
    lst[-1] = z
    emit("rc.insert_set.setitem_neg_x", refcount(x))
    emit("rc.insert_set.setitem_neg_z", refcount(z))
    del lst[0]
    emit("rc.insert_set.delitem_x", refcount(x))
    del lst[-1]
    emit("rc.insert_set.delitem_neg_z", refcount(z))
    emit("rc.insert_set.list", refcount(lst))


def s_getitem():
    x = fresh_int(1003)
    lst = [x]
    emit("rc.getitem.display", refcount(x))
    g = lst[0]
    emit("rc.getitem.getitem", refcount(x))
    g2 = lst[-1]
    emit("rc.getitem.getitem_neg", refcount(x))
    del g
    del g2
    emit("rc.getitem.released", refcount(x))
    emit("rc.getitem.list", refcount(lst))


def s_slices():
    x = fresh_int(1004)
    y = fresh_int(1005)
    lst = [x, y, x]
    emit("rc.slices.x", refcount(x))
    emit("rc.slices.y", refcount(y))
    m = lst[0:2]
    emit("rc.slices.slice_x", refcount(x))
    emit("rc.slices.slice_y", refcount(y))
    m2 = lst[::2]
    emit("rc.slices.step_x", refcount(x))
    n = lst[5:]
    emit("rc.slices.empty_slice", refcount(n))
    m3 = lst[::-1]
    emit("rc.slices.reversed_y", refcount(y))
    del lst[0:2]
    emit("rc.slices.delslice_x", refcount(x))
    emit("rc.slices.delslice_y", refcount(y))
    del lst[::-1]
    emit("rc.slices.delslice_all_x", refcount(x))
    del m
    del m2
    del m3
    emit("rc.slices.end_x", refcount(x))
    emit("rc.slices.end_y", refcount(y))


def s_extend():
    x = fresh_int(1006)
    y = fresh_int(1007)
    t = (x, y)
    emit("rc.extend.tuple_x", refcount(x))
    lst = []
    lst.extend(t)
    emit("rc.extend.extend_tuple", refcount(x))
    lst.extend(lst)
    emit("rc.extend.extend_self", refcount(x))
    l2 = [y]
    lst.extend(l2)
    emit("rc.extend.extend_list_y", refcount(y))
    emit("rc.extend.tuple", refcount(t))
    del t
    emit("rc.extend.del_tuple", refcount(x))
    del lst
    emit("rc.extend.del_list_x", refcount(x))
    emit("rc.extend.del_list_y", refcount(y))


def s_tuple():
    x = fresh_float(1.5)
    t = (x, x, x)
    emit("rc.tuple.x", refcount(x))
    u = t[1]
    emit("rc.tuple.getitem", refcount(x))
    w = t[-3]
    emit("rc.tuple.getitem_neg", refcount(x))
    emit("rc.tuple.tuple", refcount(t))
    del t
    emit("rc.tuple.del_tuple", refcount(x))
    del u
    del w
    emit("rc.tuple.del_items", refcount(x))


def s_dict():
    k = fresh_str("key")
    v = fresh_int(2000)
    w = fresh_int(2001)
    d = {}
    d[k] = v
    emit("rc.dict.set_k", refcount(k))
    emit("rc.dict.set_v", refcount(v))
    d[k] = v
    emit("rc.dict.again_k", refcount(k))
    emit("rc.dict.again_v", refcount(v))
    d[k] = w
    emit("rc.dict.replace_v", refcount(v))
    emit("rc.dict.replace_w", refcount(w))
    emit("rc.dict.replace_k", refcount(k))
    g = d[k]
    emit("rc.dict.getitem", refcount(w))
    del g
    k2 = fresh_str("key")
    d[k2] = v
    emit("rc.dict.equal_key_k", refcount(k))
    emit("rc.dict.equal_key_k2", refcount(k2))
    emit("rc.dict.equal_key_v", refcount(v))
    emit("rc.dict.equal_key_w", refcount(w))
    assert k2 in d
    emit("rc.dict.contains_k2", refcount(k2))
    del d[k2]
    emit("rc.dict.delitem_k", refcount(k))
    emit("rc.dict.delitem_v", refcount(v))
    d[v] = k2
    emit("rc.dict.int_key_v", refcount(v))
    emit("rc.dict.int_key_k2", refcount(k2))
    emit("rc.dict.dict", refcount(d))
    del d
    emit("rc.dict.freed_v", refcount(v))
    emit("rc.dict.freed_k2", refcount(k2))


def s_dict_iter():
    k1 = fresh_str("a1")
    k2 = fresh_str("a2")
    k3 = fresh_str("a3")
    v1 = fresh_int(3001)
    v2 = fresh_int(3002)
    v3 = fresh_int(3003)
    d = {}
    d[k1] = v1
    d[k2] = v2
    d[k3] = v3
    ks = list(d)
    emit("rc.dict_iter.keys_k1", refcount(k1))
    emit("rc.dict_iter.keys_v1", refcount(v1))
    vs = list(d.values())
    emit("rc.dict_iter.values_v2", refcount(v2))
    its = list(d.items())
    emit("rc.dict_iter.items_k3", refcount(k3))
    emit("rc.dict_iter.items_v3", refcount(v3))
    del ks
    del vs
    del its
    emit("rc.dict_iter.after_k1", refcount(k1))
    emit("rc.dict_iter.after_v3", refcount(v3))
    del d
    emit("rc.dict_iter.freed_k1", refcount(k1))
    emit("rc.dict_iter.freed_v1", refcount(v1))


def s_set():
    k = fresh_str("elem")
    s = set()
    s.add(k)
    emit("rc.set.add", refcount(k))
    s.add(k)
    emit("rc.set.add_again", refcount(k))
    k2 = fresh_str("elem")
    s.add(k2)
    emit("rc.set.add_equal_k", refcount(k))
    emit("rc.set.add_equal_k2", refcount(k2))
    assert k2 in s
    s.discard(k2)
    emit("rc.set.discard_k", refcount(k))
    s.discard(k)
    emit("rc.set.discard_missing_k", refcount(k))
    fs = frozenset([k, k2])
    emit("rc.set.frozenset_k", refcount(k))
    emit("rc.set.frozenset_k2", refcount(k2))
    s2 = {k, k2}
    emit("rc.set.display_k", refcount(k))
    emit("rc.set.display_k2", refcount(k2))
    es = list(s2)
    emit("rc.set.iter_k", refcount(k))
    emit("rc.set.set", refcount(s2))
    del es
    del s2
    del fs
    emit("rc.set.freed_k", refcount(k))
    emit("rc.set.freed_k2", refcount(k2))


def s_nested():
    inner = []
    outer = [inner]
    emit("rc.nested.inner", refcount(inner))
    pair = (outer, inner)
    emit("rc.nested.pair_inner", refcount(inner))
    emit("rc.nested.pair_outer", refcount(outer))
    del outer
    emit("rc.nested.outer_in_pair_inner", refcount(inner))
    del pair
    emit("rc.nested.all_freed_inner", refcount(inner))


def s_immortal():
    emit("rc.immortal.none", refcount(None))
    emit("rc.immortal.true", refcount(True))
    emit("rc.immortal.false", refcount(False))
    five = int("5")
    emit("rc.immortal.small_int", refcount(five))
    minus5 = int("-5")
    emit("rc.immortal.small_int_neg", refcount(minus5))
    n256 = int("256")
    emit("rc.immortal.int_256", refcount(n256))
    n257 = int("257")
    emit("rc.immortal.int_257", refcount(n257))
    m6 = int("-6")
    emit("rc.immortal.int_minus6", refcount(m6))
    et = tuple([])
    emit("rc.immortal.empty_tuple", refcount(et))
    es = "".join([])
    emit("rc.immortal.empty_str", refcount(es))
    a = chr(97)
    emit("rc.immortal.one_char_str", refcount(a))
    e = chr(0xE9)
    emit("rc.immortal.latin1_str", refcount(e))
    ab = fresh_str("ab")
    emit("rc.immortal.two_char_str", refcount(ab))
    eb = bytes()
    emit("rc.immortal.empty_bytes", refcount(eb))
    b7 = bytes(range(256))[7:8]
    emit("rc.immortal.one_byte", refcount(b7))
    f = fresh_float(0.0)
    emit("rc.immortal.float_zero", refcount(f))
    lst = [None, None]
    emit("rc.immortal.none_in_list", refcount(None))
    del lst


for scenario in (s_names, s_append, s_insert_set, s_getitem, s_slices, s_extend, s_tuple, s_dict,
                 s_dict_iter, s_set, s_nested, s_immortal):
    scenario()


# ---- exception messages --------------------------------------------------------

def exc(case, fn):
    try:
        fn()
    except Exception as e:   # noqa: BLE001 - recording whatever CPython raises
        emit("exc." + case, "%s: %s" % (type(e).__name__, e))
    else:
        raise AssertionError(case + " raised nothing")


def setitem(container, key, value):
    container[key] = value


def delitem(container, key):
    del container[key]


def _exceptions():
    lst = [fresh_int(1), fresh_int(2), fresh_int(3)]
    t = (fresh_int(1), fresh_int(2), fresh_int(3))
    d = {}
    s = set()
    exc("list_get", lambda: lst[5])
    exc("list_get_neg", lambda: lst[-4])
    exc("list_pop_empty", lambda: [].pop())
    exc("list_pop_range", lambda: lst.pop(10))
    exc("list_set_range", lambda: setitem(lst, 10, 0))
    exc("list_del_range", lambda: delitem(lst, 10))
    exc("list_slice_step0", lambda: lst[::0])
    exc("tuple_get", lambda: t[3])
    exc("dict_get_str", lambda: d[fresh_str("missing")])
    exc("dict_get_int", lambda: d[fresh_int(42)])
    exc("dict_get_tuple", lambda: d[(fresh_int(1), fresh_str("xy"))])
    exc("dict_del", lambda: delitem(d, fresh_str("missing")))
    exc("dict_set_unhashable", lambda: setitem(d, [], 1))
    exc("set_add_unhashable", lambda: s.add({}))
    exc("hash_list", lambda: hash([]))
    exc("len_int", lambda: len(fresh_int(5)))
    exc("int_parse", lambda: int("12x"))


_exceptions()


# ---- repr and hash ---------------------------------------------------------------
emit("repr.mixed", repr([1, "two", 3.5, None, True, (1,), {"k": [b"x"]}, {1}, frozenset({2}), (), -7]))
emit("repr.nested_quotes", repr(["it's", 'say "hi"', "\n", "é€"]))
emit("repr.bigint", repr(2**100))
emit("repr.float_small", repr(1e-7))
lst = [1, 2]
lst.append(lst)
emit("repr.self_list", repr(lst))
del lst
dd = {}
dd["self"] = dd
emit("repr.self_dict", repr(dd))
del dd
emit("hash.str_abc", hash("abc"))
emit("hash.bytes_abc", hash(b"abc"))
emit("hash.int_1000", hash(1000))
emit("hash.int_minus1", hash(-1))
emit("hash.int_big", hash(2**100))
emit("hash.float_1_5", hash(1.5))
emit("hash.tuple_1_2", hash((1, 2)))
emit("hash.frozenset_1_2", hash(frozenset({1, 2})))

print("# refcounts_api.txt: recorded from CPython %d.%d.%d by tests/record/refcounts_api.py; do not edit"
      % sys.version_info[:3])
print("\n".join(out))
