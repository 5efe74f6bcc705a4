#!/usr/bin/env python3
"""gc_weakref.py -- record weakref behaviour from real CPython 3.12.

Usage (from the repository root):

    PYENV_VERSION=3.12.1 python3.12 tests/record/gc_weakref.py > tests/fixtures/gc_weakref.txt

Never edit the fixture by hand: re-run this script. Lines are
"<case> <value...>"; tests/core/test_weakref.c repeats each case on the model
with sets and frozensets (weakly referenceable built-ins) and compares.
Booleans are printed as 0/1, error cases as "<ExceptionName>: <message>".
"""
import gc
import sys
import weakref

if sys.version_info[:2] != (3, 12):
    sys.exit("gc_weakref.py: needs CPython 3.12, got %d.%d" % sys.version_info[:2])


def out(case, *values):
    print(case, *values)


def err(f):
    try:
        f()
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "no-error"


s = set()
r = weakref.ref(s)
p = weakref.proxy(s)
out("sizes", sys.getsizeof(r), sys.getsizeof(p), sys.getsizeof(weakref.ref(s, print)))
out("type_names", type(r).__name__, type(p).__name__, type(weakref.proxy(len)).__name__)
out("tp_names", repr(type(r)), repr(type(p)), repr(type(weakref.proxy(len))))
out("tracked", int(gc.is_tracked(r)), int(gc.is_tracked(p)))
cb = lambda w: None
out("shared", int(weakref.ref(s) is r), int(weakref.ref(s, cb) is r), int(weakref.ref(s, None) is r),
    int(weakref.proxy(s) is p), int(weakref.proxy(s, cb) is p))

# getweakrefcount / getweakrefs order: basic ref, basic proxy, callback refs newest first
t = set()
names = {}
r1 = weakref.ref(t); names[id(r1)] = 'r1'
r3 = weakref.ref(t, cb); names[id(r3)] = 'r3'
px = weakref.proxy(t); names[id(px)] = 'px'
r4 = weakref.ref(t, cb); names[id(r4)] = 'r4'
r2 = weakref.ref(t); names[id(r2)] = 'r2'
pc = weakref.proxy(t, cb); names[id(pc)] = 'pc'
out("count", weakref.getweakrefcount(t), weakref.getweakrefcount(frozenset()), weakref.getweakrefcount(1))
out("order", *[names[id(w)] for w in weakref.getweakrefs(t)])
del t
out("count_dead", weakref.getweakrefcount(r1), int(r1() is None), int(r3() is None))

# a subclass of ref (as weakref.KeyedRef, with a slot): never shared, listed
# after the basic ref, newest first; 8 more bytes for the slot


class K(weakref.ref):
    __slots__ = ("key",)


ks = set()
k1 = K(ks); kr = weakref.ref(ks); k2 = K(ks)
knames = {id(k1): "k1", id(kr): "r", id(k2): "k2"}
out("subclass", *[knames[id(w)] for w in weakref.getweakrefs(ks)], int(k1 is k2), sys.getsizeof(k1))
del k1, k2, kr, ks

# hash: the referent's, cached; after death TypeError unless hashed before
f = frozenset([1, 2])
rf = weakref.ref(f)
out("hash_equal", int(hash(rf) == hash(f)))
g = frozenset([3])
rg = weakref.ref(g)
rg2 = weakref.ref(g, cb)
h1 = hash(rg)
del g
out("hash_after_death", int(hash(rg) == h1), err(lambda: hash(rg2)))
out("hash_unhashable", err(lambda: hash(weakref.ref(set()))) if False else err(lambda: hash(weakref.ref(s))))
out("hash_proxy", err(lambda: hash(p)))

# equality: referents compared while both live; identity once either is dead
a1 = frozenset([5]); a2 = frozenset([5]); b1 = frozenset([6])
ra1 = weakref.ref(a1); ra2 = weakref.ref(a2); rb1 = weakref.ref(b1)
out("eq_live", int(ra1 == ra2), int(ra1 == rb1), int(ra1 != ra2))
del a1
out("eq_dead", int(ra1 == ra2), int(ra1 == ra1), int(ra1 != ra2))
out("eq_other", int(ra2 == a2), int(ra2 == 5))

# errors
out("err_list", err(lambda: weakref.ref([])))
out("err_dict", err(lambda: weakref.ref({})))
out("err_int", err(lambda: weakref.ref(1)))
out("err_tuple", err(lambda: weakref.ref((1,))))
out("err_str", err(lambda: weakref.ref('a')))
out("err_none", err(lambda: weakref.ref(None)))
out("err_ref", err(lambda: weakref.ref(r)))
out("err_proxy_list", err(lambda: weakref.proxy([])))
u = set(); pu = weakref.proxy(u); del u
out("err_dead_proxy", err(lambda: len(pu)))
out("repr_dead", repr(weakref.ref(set()))[:len("<weakref at 0x")], repr(weakref.ref(set())).endswith("; dead>"))

# callbacks on refcount death: newest first, the referent is gone inside
log = []
v = set()
ws = [weakref.ref(v, lambda w, i=i: log.append('cb%d:%d' % (i, int(w() is None)))) for i in range(3)]
basic = weakref.ref(v)
del v
out("callbacks_refcount", *log)
del log[:]

# a weakref that dies before its referent: its callback never runs
v = set()
w = weakref.ref(v, lambda w: log.append('never'))
del w
del v
out("callback_dead_ref", len(log))

# in a collection: weakrefs to garbage cleared; callbacks only for reachable weakrefs;
# a reachable weakref that dies after its callback counts in collect()'s result


class Node:
    pass


gc.collect()
n1 = Node(); n2 = Node(); s1 = {n2}; n1.s = s1; n2.s = {n1}   # two sets, two nodes, one cycle
wr1 = weakref.ref(s1, lambda w: log.append('cb_s1'))
holder = [weakref.ref(s1, lambda w: log.append('cb_s1_dying'))]
holder2 = holder  # a second name, dropped by the callback below
del n1, n2, s1
n = gc.collect()
out("gc_weakref_callbacks", n, *log)
del log[:]

gc.collect()
n1 = Node(); s1 = {n1}; n1.s = s1
keep = {}
keep['w'] = weakref.ref(s1, lambda w: keep.clear())   # the callback drops the last reference to w
del n1, s1
n = gc.collect()
out("gc_weakref_dies_in_callback", n, len(keep))

gc.collect()
n1 = Node(); s1 = {n1}; n1.s = s1
n1.w = weakref.ref(s1, lambda w: log.append('garbage weakref callback'))   # the weakref is garbage too
del n1, s1
n = gc.collect()
out("gc_weakref_in_garbage", n, len(log))
