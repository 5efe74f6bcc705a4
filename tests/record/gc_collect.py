#!/usr/bin/env python3
"""gc_collect.py -- record cycle-collector facts from real CPython 3.12.

Usage (from the repository root):

    PYENV_VERSION=3.12.1 python3.12 tests/record/gc_collect.py > tests/fixtures/gc_collect.txt

Never edit the fixture by hand: re-run this script. Every output line is
"<case> <value...>". tests/core/test_gc.c builds the same object graphs in the
model (lists, dicts, sets, tuples and, where a case needs a class, its C test
type with the same slots) and compares. Each case starts from a flushed heap
(gc.collect() twice) unless it says otherwise.

Cases:
  collect_<shape>_<n>   gc.collect() after dropping the graph
  gens_*                collections of single generations
  count_<N>             get_count() after building N lists in one list, then
                        after `del` (free lists were emptied by the flush)
  auto_*                automatic collections during a loop of self-cyclic
                        lists after gc.freeze(): the generation of every
                        collection (recorded by a gc.callbacks callback),
                        get_count() and get_stats() at the end
  tracked_*             gc.is_tracked() after the steps named
  referents_*           reprs of gc.get_referents(...) in order
  referrers_*           type names of gc.get_referrers(x), the module dict left out
  fin_*                 finalizer scenarios with a class that has __del__
"""
import gc
import sys

if sys.version_info[:2] != (3, 12):
    sys.exit("gc_collect.py: needs CPython 3.12, got %d.%d" % sys.version_info[:2])


def out(case, *values):
    print(case, *values)


def flush():
    gc.collect()
    gc.collect()


# ---- gc.collect() return values -------------------------------------------------

def ring_of_lists(n):
    ls = [[] for _ in range(n)]
    for i in range(n):
        ls[i].append(ls[(i + 1) % n])
    return ls


def ring_of_dicts(n):
    ds = [{} for _ in range(n)]
    for i in range(n):
        ds[i]['next'] = ds[(i + 1) % n]
    return ds


for n in (1, 2, 3, 10, 100, 1000):
    flush()
    ls = ring_of_lists(n)
    del ls
    out("collect_listring_%d" % n, gc.collect())
    flush()
    ds = ring_of_dicts(n)
    del ds
    out("collect_dictring_%d" % n, gc.collect())

# a list <-> dict pair
flush()
a = []; d = {'a': a}; a.append(d)
del a, d
out("collect_listdict_2", gc.collect())

# a ring of 3 lists kept alive by an outside reference to one member
flush()
ls = ring_of_lists(3)
keep = ls[1]
del ls
out("collect_ringheld_3", gc.collect())
del keep
out("collect_ringheld_3_after", gc.collect())

# list <-> tuple
flush()
l = []; t = (l,); l.append(t)
del l, t
out("collect_listtuple_2", gc.collect())

# a self-cycle with 5 empty lists hanging off it (all garbage, all counted)
flush()
a = []; a.append(a); a.append([[] for _ in range(5)])
del a
out("collect_hanging_lists_7", gc.collect())

# a self-cycle with an atoms-only dict hanging off it (untracked: not counted)
flush()
a = []; a.append(a); a.append({'x': 1})
del a
out("collect_hanging_atomdict_1", gc.collect())

# a self-cycle with a fresh atoms-only tuple (still tracked: counted)
flush()
a = []; a.append(a); a.append(tuple([1, 2]))
del a
out("collect_hanging_tuple_2", gc.collect())


class N:
    pass


# an instance <-> set cycle (the test type stands in for N: no __dict__ materialised)
flush()
n = N(); s = {n}; n.s = s
del n, s
out("collect_instset_2", gc.collect())

# nothing
flush()
out("collect_nothing", gc.collect())

# DEBUG_SAVEALL: saved, not freed
flush()
l = []; l.append(l)
del l
gc.set_debug(gc.DEBUG_SAVEALL)
out("collect_saveall_1", gc.collect(), len(gc.garbage))
gc.set_debug(0)
gc.garbage.clear()
out("collect_saveall_after_clear", gc.collect())

# ---- generations --------------------------------------------------------------------

flush()
a = []; a.append(a)
out("gens_young_survivor", gc.collect(0))      # a survives into gen 1
del a
out("gens_gen0_misses", gc.collect(0))         # a is in gen 1 now
out("gens_gen1_finds", gc.collect(1))
out("gens_count_after", *gc.get_count())

flush()
a = []; a.append(a)
gc.collect(1)                                    # a into gen 2
del a
out("gens_gen2_misses_0", gc.collect(0))
out("gens_gen2_misses_1", gc.collect(1))
out("gens_gen2_finds", gc.collect(2))

try:
    gc.collect(3)
except ValueError as e:
    out("gens_invalid_3", str(e))
try:
    gc.collect(-1)
except ValueError as e:
    out("gens_invalid_neg", str(e))

# get_stats after a known sequence of explicit collections (deltas from here)
flush()
base = gc.get_stats()
a = []; a.append(a); del a
gc.collect(0)
b = {}; b['b'] = b; del b
gc.collect(1)
c = []; c.append(c); d = [c]; c.append(d); del c, d
gc.collect(2)
now = gc.get_stats()
out("stats_delta", *[now[g][k] - base[g][k] for g in range(3) for k in ('collections', 'collected', 'uncollectable')])

# ---- count[0] --------------------------------------------------------------------------

for N_ in (0, 1, 10, 79, 80, 81, 100, 500):
    flush()
    keep = [[] for _ in range(N_)]
    c1 = gc.get_count()
    del keep
    c2 = gc.get_count()
    out("count_%d" % N_, *c1, *c2)
    del c1, c2

# ---- automatic collections -----------------------------------------------------------

log = []


def cb(phase, info):
    if phase == 'start':
        log.append(info['generation'])


# longlived > 0: that many lists are created after the freeze and survive
# into generation 2, so the 25% rule (long_lived_pending < long_lived_total / 4)
# decides whether a gen-2 collection runs when count[2] passes its threshold
for iters, longlived in ((700, 0), (701, 0), (5000, 0), (100000, 0), (300000, 20000), (300000, 20)):
    name = "auto_%d" % iters + ("_ll%d" % longlived if longlived else "")
    flush()
    del log[:]
    gc.callbacks.append(cb)
    gc.freeze()
    if longlived:
        keep = [[] for _ in range(longlived)]
    gc.collect()
    del log[:]
    stats0 = gc.get_stats()
    for i in range(iters):
        x = []
        x.append(x)
    counts = gc.get_count()
    gc.callbacks.remove(cb)
    del x
    stats1 = gc.get_stats()
    gc.unfreeze()
    if longlived:
        del keep
    out(name + "_gens", len(log), *log[:200])
    out(name + "_hist", log.count(0), log.count(1), log.count(2))
    out(name + "_count", *counts)
    out(name + "_stats", *[stats1[g][k] - stats0[g][k] for g in range(3)
                           for k in ('collections', 'collected', 'uncollectable')])

# threshold 0 disables automatic collection; disable() too (len(log) is read
# right after each loop: any later allocation may schedule a collection)
flush()
gc.callbacks.append(cb)
del log[:]
gc.set_threshold(0)
for i in range(3000):
    x = []
    x.append(x)
n_threshold0 = len(log)
gc.set_threshold(700, 10, 10)
gc.collect()
del log[:]
gc.disable()
for i in range(3000):
    x = []
    x.append(x)
n_disabled = len(log)
gc.enable()
gc.callbacks.remove(cb)
del x
out("auto_threshold0", n_threshold0)
out("auto_disabled", n_disabled)

# a collection scheduled before gc.disable() still runs at the next eval
# breaker (here: the end of the CALL of gc.disable()); `log == []` runs no
# breaker, so it shows nothing ran before
flush()
gc.callbacks.append(cb)
del log[:]
gc.set_threshold(5)
a = []; b = []; c = []; d = []; e = []
f = []
empty_before = log == []
gc.disable()
n_after = len(log)
gc.enable()
gc.set_threshold(700, 10, 10)
gc.callbacks.remove(cb)
del a, b, c, d, e, f
out("auto_disable_after_schedule", int(empty_before), n_after)

# set_threshold errors: argument count, overflow (values before it are already stored)
def terr(*args):
    try:
        gc.set_threshold(*args)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "no-error"


out("threshold_err_0", terr())
out("threshold_err_4", terr(1, 2, 3, 4))
out("threshold_err_big", terr(2 ** 31))
out("threshold_err_small", terr(-2 ** 31 - 1))
out("threshold_err_partial", terr(5, 2 ** 31), *gc.get_threshold())
gc.set_threshold(700, 10, 10)

# gc.callbacks: ("start"|"stop", info); one info dict per phase shared by all callbacks
infos = []


def cb_info(phase, info):
    infos.append((phase, repr(info), id(info)))


flush()
gc.callbacks.append(cb_info)
gc.callbacks.append(cb_info)
a = []; a.append(a); del a
gc.collect(1)
gc.callbacks.remove(cb_info)
gc.callbacks.remove(cb_info)
out("callbacks_info", len(infos), int(infos[0][2] == infos[1][2]), int(infos[2][2] == infos[3][2]))
for ph, r, _ in infos:
    out("callbacks_info_" + ph, r)
del infos[:]

# ---- tracking ----------------------------------------------------------------------------

flush()
t = tuple([1, 2])
before = gc.is_tracked(t)
gc.collect()
out("tracked_tuple_atoms", int(before), int(gc.is_tracked(t)))
inner = tuple([1]); t = tuple([inner]); del inner
gc.collect()
r1 = (int(gc.is_tracked(t)), int(gc.is_tracked(t[0])))
gc.collect()
out("tracked_tuple_nested", *r1, int(gc.is_tracked(t)), int(gc.is_tracked(t[0])))
t = tuple([[]])
gc.collect()
out("tracked_tuple_list", int(gc.is_tracked(t)))
out("tracked_dicts", int(gc.is_tracked({})), int(gc.is_tracked({'a': 1})), int(gc.is_tracked({'a': []})))
d = {'a': []}
del d['a']
r = [int(gc.is_tracked(d))]
gc.collect(1)
r.append(int(gc.is_tracked(d)))
gc.collect(2)
r.append(int(gc.is_tracked(d)))
out("tracked_dict_untrack", *r)
out("tracked_atoms", int(gc.is_tracked(1)), int(gc.is_tracked('a')), int(gc.is_tracked([])), int(gc.is_tracked(set())))
out("finalized_list", int(gc.is_finalized([])))

# ---- get_referents / get_referrers -------------------------------------------------------

out("referents_list", repr(gc.get_referents([1, 'a', [2]])))
out("referents_tuple", repr(gc.get_referents(tuple([1, 'b', (2,)]))))
out("referents_dict_str", repr(gc.get_referents({'a': 1, 'b': [2]})))
out("referents_dict_int", repr(gc.get_referents({1: 'x', 2: 'y'})))
out("referents_set", repr(gc.get_referents({1, 2, 3})))
out("referents_int", repr(gc.get_referents(1)))
out("referents_many", repr(gc.get_referents([1], (2, 3), 'x', {4: 5})))
flush()
x = frozenset([7])
y = [x]
z = {'k': x}
out("referrers_xyz", *[type(r).__name__ for r in gc.get_referrers(x) if r is not globals()])
del x, y, z

# ---- freeze / unfreeze ----------------------------------------------------------------------

flush()
base = gc.get_freeze_count()
objs = [[] for _ in range(10)]
gc.freeze()
fc = gc.get_freeze_count() - base
cnt = gc.get_count()
g2 = len(gc.get_objects(2))
gc.unfreeze()
# the frozen count itself depends on the interpreter's start-up objects:
# recorded is what follows from it (count reset, gen 2 emptied, and after
# unfreeze() nothing frozen at all: the immortals moved at start-up go too)
out("freeze", *cnt, g2, gc.get_freeze_count())
del objs

try:
    gc.get_objects(3)
except ValueError as e:
    out("get_objects_3", str(e))
try:
    gc.get_objects(-2)
except ValueError as e:
    out("get_objects_neg", str(e))

# ---- finalizers (a class with __del__; the C test type mirrors it) ----------------------

events = []


class F:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        events.append('del ' + self.name)


# two finalizable objects in a cycle
flush()
a = F('a'); b = F('b'); a.other = b; b.other = a
del a, b
n = gc.collect()
out("fin_cycle_2", n, *events)
del events[:]

# weakref callbacks before __del__ in a collection; newest callback first per object
import weakref
flush()
a = F('a'); b = F('b'); a.other = b; b.other = a
ra = weakref.ref(a, lambda r: events.append('cb a ' + str(r() is None)))
rb = weakref.ref(b, lambda r: events.append('cb b ' + str(r() is None)))
del a, b
n = gc.collect()
out("fin_cycle_weakrefs", n, *[e.replace(' ', '_') for e in events])
del events[:]
del ra, rb

# refcount death: __del__ first, then callbacks newest first
flush()
c = F('c')
rc = [weakref.ref(c, lambda r, i=i: events.append('cb%d' % i)) for i in range(3)]
del c
out("fin_refcount_order", *[e.replace(' ', '_') for e in events])
del events[:]
del rc

# resurrection in a cycle
saved = []


class R:
    def __del__(self):
        events.append('del')
        saved.append(self)


flush()
x = R(); x.me = x
del x
n1 = gc.collect()
fin = int(gc.is_finalized(saved[0]))
saved.clear()
n2 = gc.collect()
out("fin_resurrect", n1, fin, n2, *events)
del events[:]

# resurrection of one object of a cycle keeps what it reaches alive too
flush()
x = R(); y = F('b'); x.other = y; y.other = x
del x, y
n1 = gc.collect()
n_saved = len(saved)
saved.clear()
n2 = gc.collect()
out("fin_resurrect_pair", n1, n_saved, n2, *[e.replace(' ', '_') for e in events])
del events[:]

# DEBUG_SAVEALL: __del__ still runs once
flush()
a = F('a'); b = F('b'); a.other = b; b.other = a
del a, b
gc.set_debug(gc.DEBUG_SAVEALL)
n1 = gc.collect()
g = len(gc.garbage)
gc.set_debug(0)
gc.garbage.clear()
n2 = gc.collect()
out("fin_saveall", n1, g, n2, *[e.replace(' ', '_') for e in events])
del events[:]

# a collection requested from a finalizer returns 0
res = []


class Re:
    def __del__(self):
        res.append(gc.collect())


flush()
a = Re(); a.me = a
del a
n = gc.collect()
out("fin_reentrant", n, *res)
