#!/usr/bin/env python3
"""sizes_containers.py -- record dict/set/frozenset facts from real CPython 3.12.

Usage (from the repository root):

    PYENV_VERSION=3.12.1 python3.12 tests/record/sizes_containers.py \
        > tests/fixtures/sizes_containers.txt

Never edit the fixture by hand: re-run this script. Every output line is

    <case> <value...>

where <case> has no spaces and the value is the rest of the line. The C tests
(tests/core/test_dict.c, tests/core/test_set.c) replay the same operations on
the model and compare. Operation scripts are printed too, so the C side never
re-derives inputs: a "dictops"/"setops" line lists the operations, the lines
after it with the same case name list what CPython observed.

Op tokens (keys and elements are ints unless the case says str):
    +N   d[N] = N  /  s.add(N)
    -N   del d[N]  /  s.discard(N)
    p    d.popitem()  /  s.pop()
    c    d.clear()  /  s.clear()
Only int and str keys are used, so the hashes are those of CPython's int
(value mod 2**61-1) and str (randomised per process: str-keyed *sets* are not
recorded, str-keyed dicts are insertion ordered so their layout does not show).
"""
import gc
import sys

if sys.version_info[:2] != (3, 12):
    sys.exit("sizes_containers.py: needs CPython 3.12, got %d.%d" % sys.version_info[:2])

getsizeof = sys.getsizeof


def out(case, *values):
    print(case, *values)


def seq(values):
    return " ".join(str(v) for v in values)


# ---- dict: sizes -------------------------------------------------------

def dict_insert_sizes(keys):
    d = {}
    sizes = [getsizeof(d)]
    for k in keys:
        d[k] = 1
        sizes.append(getsizeof(d))
    return sizes


out("dict_str_insert", seq(dict_insert_sizes(["k%d" % i for i in range(41)])))
out("dict_int_insert", seq(dict_insert_sizes(list(range(41)))))

for kind in ("int", "str"):
    keys = list(range(20)) if kind == "int" else ["k%d" % i for i in range(20)]
    d = {k: 1 for k in keys}
    sizes = [getsizeof(d)]
    for k in keys:
        del d[k]
        sizes.append(getsizeof(d))
    d.clear()
    sizes.append(getsizeof(d))
    out("dict_%s_delete_then_clear" % kind, seq(sizes))

# dict displays: up to 15 items the compiler emits BUILD_MAP n /
# BUILD_CONST_KEY_MAP n (presized _PyDict_FromItems); from 16 on, BUILD_MAP 0
# followed by MAP_ADD per item.
for kind in ("int", "str"):
    sizes = []
    for n in range(26):
        if kind == "int":
            src = "{" + ", ".join("%d: %d" % (i, i) for i in range(n)) + "}"
        else:
            src = "{" + ", ".join("'k%d': %d" % (i, i) for i in range(n)) + "}"
        sizes.append(getsizeof(eval(src)))
    out("dict_literal_%s" % kind, seq(sizes))

# a str-keyed ("unicode") table converts to a general one on the first
# non-str key: size after adding int key 0 to a dict of n str keys
sizes = []
for n in range(13):
    d = {}
    for i in range(n):
        d["k%d" % i] = i
    d[0] = 0
    sizes.append(getsizeof(d))
out("dict_str_then_int", seq(sizes))

# copy(): clone of a compact table, merge into a fresh dict otherwise
for kind in ("int", "str"):
    sizes = []
    for n in range(26):
        d = {}
        for i in range(n):
            d[i if kind == "int" else "k%d" % i] = i
        sizes.append(getsizeof(d.copy()))
    out("dict_copy_%s" % kind, seq(sizes))

sizes = []
for k in range(21):
    d = {}
    for i in range(20):
        d[i] = i
    for i in range(k):
        del d[i]
    sizes.append(getsizeof(d.copy()))
out("dict_copy_after_deletes", seq(sizes))

# dict(d) and {}.update(d) for compact and holey sources
for label, holes in (("compact", 0), ("holey", 8)):
    s1, s2, s3 = [], [], []
    for n in range(1, 26):
        d = {}
        for i in range(n + holes):
            d[i] = i
        for i in range(holes):
            del d[i]
        s1.append(getsizeof(dict(d)))
        e = {}
        e.update(d)
        s2.append(getsizeof(e))
        f = {-1: -1}
        f.update(d)
        s3.append(getsizeof(f))
    out("dict_ctor_%s" % label, seq(s1))
    out("dict_update_empty_%s" % label, seq(s2))
    out("dict_update_nonempty_%s" % label, seq(s3))

# ---- dict: operation scripts ---------------------------------------------

def run_dictops(case, ops):
    d = {}
    sizes = []
    for op in ops:
        if op == "p":
            d.popitem()
        elif op == "c":
            d.clear()
        elif op[0] == "+":
            k = int(op[1:])
            d[k] = k
        else:
            del d[int(op[1:])]
        sizes.append(getsizeof(d))
    out("dictops", case, *ops)
    out("dictops_keys", case, seq(d))
    out("dictops_sizes", case, seq(sizes))


run_dictops("reuse", ["+%d" % i for i in range(5)] + ["-%d" % i for i in range(5)]
            + ["+%d" % i for i in range(5, 12)])
run_dictops("churn", ["+%d" % i for i in range(10)] + ["-3", "-7", "+3", "+100", "-0", "+7", "+8", "p", "p"]
            + ["+%d" % (i * 8) for i in range(12)])
run_dictops("popitems", ["+%d" % i for i in range(9)] + ["p"] * 4 + ["+%d" % (i * 16) for i in range(4)])
run_dictops("clear_reuse", ["+%d" % i for i in range(7)] + ["c"] + ["+%d" % (i * 3) for i in range(7)])

# ---- dict: repr and tracking -------------------------------------------
out("dict_repr_empty", repr({}))
out("dict_repr_str_int", repr({"a": 1, "b": 2}))
out("dict_repr_int_int", repr({1: 2, -3: 40}))
out("dict_repr_nested", repr({"x": {"y": {}}, "z": set(), "w": frozenset({1})}))
d = {}
d["self"] = d
out("dict_repr_recursive", repr(d))

for label, maker in (("empty", lambda: {}),
                     ("str_int", lambda: {"a": 1}),
                     ("str_set", lambda: {"a": set()}),
                     ("str_dict", lambda: {"a": {}}),
                     ("int_frozenset", lambda: {1: frozenset()})):
    out("dict_tracked_%s" % label, int(gc.is_tracked(maker())))
d = {"a": 1}
d["b"] = set()
out("dict_tracked_after_set_value", int(gc.is_tracked(d)))
del d["b"]
out("dict_tracked_after_delete", int(gc.is_tracked(d)))
out("dict_tracked_copy_of_untracked", int(gc.is_tracked({"a": 1}.copy())))
out("dict_tracked_copy_of_tracked", int(gc.is_tracked({"a": set()}.copy())))

# ---- set: sizes ------------------------------------------------------------
s = set()
sizes = [getsizeof(s)]
for i in range(101):
    s.add(i)
    sizes.append(getsizeof(s))
out("set_add_int", seq(sizes))
out("set_range", seq(getsizeof(set(range(n))) for n in range(101)))
out("frozenset_range", seq(getsizeof(frozenset(range(n))) for n in range(101)))
out("set_copy_range", seq(getsizeof(set(range(n)).copy()) for n in range(101)))
out("set_tracked", int(gc.is_tracked(set())), int(gc.is_tracked(frozenset())))

# ---- set: operation scripts -------------------------------------------------
# Deterministic pseudo-random inputs (a 31-bit LCG); the ops are printed, so
# the C side only replays them.
def lcg(seed):
    x = seed
    while True:
        x = (x * 1103515245 + 12345) % 2**31
        yield x


def rand_values(seed, n, lo, hi):
    g = lcg(seed)
    return [lo + next(g) % (hi - lo) for _ in range(n)]


def run_setops(case, ops):
    s = set()
    for op in ops:
        if op == "p":
            s.pop()
        elif op == "c":
            s.clear()
        elif op[0] == "+":
            s.add(int(op[1:]))
        else:
            s.discard(int(op[1:]))
    out("setops", case, *ops)
    out("setops_order", case, seq(s))
    out("setops_size", case, getsizeof(s))
    out("setops_repr", case, repr(s))
    out("setops_fshash", case, hash(frozenset(s)))
    return s


big = [2**61 - 1, 2**61, 2**61 + 5, 2**62, -(2**61), -(2**61) + 1, -1, -2, 2**63 - 1, -(2**63)]
cases = {
    "rand_small": ["+%d" % v for v in rand_values(1, 30, -50, 200)],
    "rand_wide": ["+%d" % v for v in rand_values(7, 60, -10**6, 10**6)],
    "stride8": ["+%d" % (i * 8) for i in range(20)],
    "stride32": ["+%d" % (i * 32) for i in range(24)],
    "stride64_discard_readd": ["+%d" % (i * 64) for i in range(6)] + ["-0", "-64", "-128"]
                              + ["+%d" % (i * 64) for i in range(6, 9)] + ["+0"],
    "collide_dummies": ["+%d" % (i * 8) for i in range(4)] + ["-8", "-16"] + ["+%d" % (i * 8) for i in range(4, 7)],
    "big_hashes": ["+%d" % v for v in big] + ["+1", "+0", "+2"],
    "pops": ["+%d" % i for i in range(21)] + ["p"] * 6 + ["+%d" % (i * 5) for i in range(8)] + ["p"] * 3,
    "discard_all_add": ["+%d" % i for i in range(30)] + ["-%d" % i for i in range(30)]
                       + ["+%d" % (100 + i) for i in range(10)],
    "clear_reuse": ["+%d" % i for i in range(12)] + ["c"] + ["+%d" % (i * 9) for i in range(6)],
    "empty": [],
}
sets = {}
for case, ops in cases.items():
    sets[case] = run_setops(case, ops)

# Binary operations between recorded sets (results in CPython's order).
pairs = [("rand_small", "stride8"), ("stride8", "rand_small"), ("stride32", "stride8"),
         ("big_hashes", "pops"), ("pops", "clear_reuse"), ("empty", "stride8"), ("stride8", "stride8")]
for a, b in pairs:
    A, B = sets[a], sets[b]
    tag = "%s.%s" % (a, b)
    for name, r in (("or", A | B), ("and", A & B), ("sub", A - B), ("xor", A ^ B)):
        out("setbin_%s" % name, tag, seq(r))
        out("setbin_%s_size" % name, tag, getsizeof(r))
    out("setbin_le", tag, int(A <= B))
    out("setbin_eq", tag, int(A == B))
    fA, fB = frozenset(A), frozenset(B)
    out("setbin_fs_or", tag, seq(fA | fB))
    out("setbin_fs_xor_repr", tag, repr(fA ^ fB))

out("set_repr_empty", repr(set()))
out("frozenset_repr_empty", repr(frozenset()))
out("frozenset_repr_one", repr(frozenset({1})))
out("frozenset_hash_empty", hash(frozenset()))
