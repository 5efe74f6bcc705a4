#!/usr/bin/env python3
"""Records what the collections walked by the "gc.collect() explained" view
(web/viz/gcwalk-model.js) must report, from real CPython 3.12, for
tests/viz/gcwalk.test.js.

    PYENV_VERSION=3.12.1 python3.12 tests/record/gcwalk.py > tests/fixtures/gcwalk.txt

Never edit the output by hand; rerun this script. Every line is

    <case> <value>

Lines starting with '#' are comments. Each scenario below is one
collection; the JS test builds the same objects through the JavaScript API
(one handle per Python name), takes a snapshot, runs the collection with
the phase trace on and walks it.

  collect.<scenario>   what that gc.collect() returned
  garbage.saveall      len(gc.garbage) after a collection under DEBUG_SAVEALL
  order.<scenario>     the order in which __del__ methods and weakref
                       callbacks ran during it (names joined by ','; '-' if none)
  alive.<scenario>     which of the scenario's objects are alive after it
                       (names joined by ','; '-' if none), found in
                       gc.get_objects() by id and type (a weakref probe
                       would change the walk)
  refcount.<scenario>.<name>  the object's reference count just before the
                       collection, with no name bound to it but the
                       scenario's own (what update_refs copies into gc_refs)

The finalizers log `self.name`; weakref callbacks log 'wr:' + a name.
"""
import gc
import sys
import weakref

assert sys.version_info[:2] == (3, 12), "record with CPython 3.12 (PYENV_VERSION=3.12.1 python3.12)"

out = []
LOG = []
SAVED = []


def emit(case, value):
    out.append(f"{case} {value}")


class Marked:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        LOG.append(self.name)


class Phoenix:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        LOG.append(self.name)
        SAVED.append(self)


class Plain:
    pass


def callback(name):
    def cb(ref):
        LOG.append("wr:" + name)
    return cb


def run(scenario, build):
    """build() returns (names: dict of what stays named, rc: dict name -> obj
    measured just before the collection); the collection follows."""
    gc.collect()
    LOG.clear()
    names, rc = build()
    for k in rc:
        emit(f"refcount.{scenario}.{k}", sys.getrefcount(rc[k]) - 2)   # minus the argument and rc's value
    keys = {k: (id(o), type(o)) for k, o in rc.items()}
    del rc
    n = gc.collect()
    emit(f"collect.{scenario}", n)
    emit(f"order.{scenario}", ",".join(LOG) or "-")
    live = {(id(o), type(o)) for o in gc.get_objects()}
    alive = sorted(k for k, key in keys.items() if key in live)
    emit(f"alive.{scenario}", ",".join(alive) or "-")
    names.clear()
    SAVED.clear()
    gc.collect()


def two_instances_del():
    # the seed's example: two objects referring to each other, both with __del__
    a, b = Marked("a"), Marked("b")
    a.other = b
    b.other = a
    rc = {"a": a, "b": b}
    return {}, rc


def self_cycle():
    # l = []; l.append(l); del l
    l = []
    l.append(l)
    return {}, {"l": l}


def kept_alive():
    # a = []; b = [a]; a.append(b); outside = a; del a, b
    a = []
    b = [a]
    a.append(b)
    outside = a
    return {"outside": outside}, {"a": a, "b": b}


def resurrect():
    # a Phoenix and a Marked in a cycle; the Phoenix's __del__ stores self
    p, m = Phoenix("p"), Marked("m")
    p.other = m
    m.other = p
    return {}, {"p": p, "m": m}


def weakref_callback():
    # a cycle with a weakref (held outside it) whose callback runs
    a, b = Marked("a"), Marked("b")
    a.other = b
    b.other = a
    r = weakref.ref(a, callback("a"))
    KEEP.append(r)
    return {}, {"a": a, "b": b}


def many_cycles():
    # 300 times: a = []; b = [a]; a.append(b); del a, b — enough objects for the view to summarise
    for _ in range(300):
        a = []
        b = [a]
        a.append(b)
    del a, b
    return {}, {}


KEEP = []
run("two_instances_del", two_instances_del)
run("self_cycle", self_cycle)
run("kept_alive", kept_alive)
run("resurrect", resurrect)
run("weakref_callback", weakref_callback)
run("many_cycles", many_cycles)
KEEP.clear()

# DEBUG_SAVEALL: the self-cycle is saved in gc.garbage instead of being cleared
gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
l = []
l.append(l)
del l
emit("collect.saveall", gc.collect())
emit("garbage.saveall", len(gc.garbage))
gc.set_debug(0)
gc.garbage.clear()

print("# recorded by tests/record/gcwalk.py under CPython", sys.version.split()[0])
print("\n".join(out))
