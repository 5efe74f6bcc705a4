#!/usr/bin/env python3
"""Records what the JavaScript API for classes, instances, callables, the
collector and weakrefs must report, from real CPython 3.12, for
tests/lib/jsclasses.test.js.

    PYENV_VERSION=3.12.1 python3.12 tests/record/refcounts_classes.py > tests/fixtures/refcounts_classes.txt

Never edit the output by hand; rerun this script. Every line is

    <case> <value>

Lines starting with '#' are comments. As in refcounts_api.py, one JavaScript
handle stands for one Python name, and objects are made at run time.

Sections
  rc.<scenario>.<step>     sys.getrefcount(x) minus the measuring call's own
                           references (calibrated below)
  wr.<scenario>.<step>     weakref.getweakrefcount(x)
  order.<scenario>         the order in which __del__ methods and weakref
                           callbacks ran, names joined by ','
  collect.<scenario>       what gc.collect() returned
  exc.<case>               "<ExceptionType>: <str(exception)>"

The finalizers log `self.name`; weakref callbacks log 'wr:' + a name. The JS
test gives each marked object a `name` attribute and each callback a str
with the logged text, and logs from the finalize / call host hooks.
"""
import gc
import sys
import types
import weakref

assert sys.version_info[:2] == (3, 12), "record with CPython 3.12 (PYENV_VERSION=3.12.1 python3.12)"

out = []
LOG = []
SAVED = []


def emit(case, value):
    assert " " not in case and "\n" not in str(value), case
    out.append("%s %s" % (case, value))


def refcount(obj):
    """sys.getrefcount(obj) without the references of this call (calibrated)."""
    return sys.getrefcount(obj) - OFFSET


def _calibrate():
    probe = []          # exactly one reference: this name
    return refcount(probe) - 1


OFFSET = 0
OFFSET = _calibrate()


def _check():
    a = []
    b = a
    assert refcount(a) == 2, refcount(a)
    del b
    assert refcount(a) == 1


_check()


def fresh_int(n):
    return int(str(n))


class Marked:
    """Logs its name when finalized."""
    def __del__(self):
        LOG.append(self.name)


class Phoenix:
    """Logs its name and resurrects itself into SAVED when finalized."""
    def __del__(self):
        LOG.append(self.name)
        SAVED.append(self)


def mk(cls, name):
    o = cls()
    o.name = name
    return o


def logged(fn):
    """Run fn() with an empty log and return the log joined by ','."""
    gc.collect()
    LOG.clear()
    fn()
    text = ",".join(LOG)
    LOG.clear()
    return text


def wrcb(name):
    return lambda r: LOG.append("wr:" + name)


# ---- reference counts ---------------------------------------------------------------
# Each scenario's JS twin lives in tests/lib/jsclasses.test.js under the same name.

def s_class():
    class A:
        pass
    emit("rc.class.fresh", refcount(A))
    a1 = A()
    emit("rc.class.one_instance", refcount(A))
    emit("rc.class.instance", refcount(a1))
    a2 = A()
    a3 = A()
    emit("rc.class.three_instances", refcount(A))
    del a2
    emit("rc.class.dropped_one", refcount(A))
    del a1, a3
    emit("rc.class.dropped_all", refcount(A))

    class B(A):
        pass
    emit("rc.class.with_subclass", refcount(A))
    emit("rc.class.subclass", refcount(B))
    gc.collect()        # nothing else pending: the count below is B's own objects
    del B
    emit("rc.class.subclass_dropped", refcount(A))
    emit("collect.class_subclass", gc.collect())
    emit("rc.class.subclass_collected", refcount(A))


def s_attrs():
    class A:
        pass
    a = A()
    b = A()
    c = A()
    a.x = b
    emit("rc.attrs.b_in_a", refcount(b))
    c.y = b
    emit("rc.attrs.b_in_a_c", refcount(b))
    a.x = c
    emit("rc.attrs.replaced_b", refcount(b))
    emit("rc.attrs.replaced_c", refcount(c))
    a.self = a
    emit("rc.attrs.self_ref", refcount(a))
    del a.self
    emit("rc.attrs.self_deleted", refcount(a))
    d = a.x
    emit("rc.attrs.getattr_c", refcount(c))
    del d
    del a.x
    emit("rc.attrs.delattr_c", refcount(c))
    del c
    emit("rc.attrs.c_freed_b", refcount(b))
    emit("rc.attrs.class", refcount(A))


def s_list():
    class A:
        pass
    lst = []
    for _ in range(3):
        lst.append(A())
    emit("rc.list.class", refcount(A))
    x = lst[0]
    emit("rc.list.item", refcount(x))
    emit("rc.list.list", refcount(lst))
    del lst
    emit("rc.list.item_after", refcount(x))
    emit("rc.list.class_after", refcount(A))


def s_method():
    class A:
        def f(self):
            pass
    f = A.__dict__["f"]
    a = A()
    emit("rc.method.f", refcount(f))
    m = a.f
    emit("rc.method.getattr_a", refcount(a))
    emit("rc.method.getattr_f", refcount(f))
    emit("rc.method.m", refcount(m))
    m2 = f.__get__(a)
    emit("rc.method.bind_a", refcount(a))
    emit("rc.method.bind_f", refcount(f))
    fn = m.__func__
    emit("rc.method.func_f", refcount(f))
    s = m.__self__
    emit("rc.method.self_a", refcount(a))
    del fn, s, m2
    del a
    s = m.__self__
    emit("rc.method.held_self", refcount(s))
    del s
    del m
    emit("rc.method.released_f", refcount(f))
    emit("rc.method.class", refcount(A))


def s_cell():
    x = fresh_int(4000)
    y = fresh_int(4001)
    c = types.CellType(x)
    emit("rc.cell.x", refcount(x))
    emit("rc.cell.cell", refcount(c))
    g = c.cell_contents
    emit("rc.cell.get_x", refcount(x))
    del g
    c.cell_contents = y
    emit("rc.cell.set_x", refcount(x))
    emit("rc.cell.set_y", refcount(y))
    del c.cell_contents
    emit("rc.cell.emptied_y", refcount(y))
    c.cell_contents = y
    del c
    emit("rc.cell.freed_y", refcount(y))


def s_weakref():
    class A:
        pass
    a = A()
    r = weakref.ref(a)
    emit("rc.weakref.a", refcount(a))
    emit("wr.weakref.one", weakref.getweakrefcount(a))
    r2 = weakref.ref(a)
    emit("rc.weakref.shared", refcount(r))
    emit("wr.weakref.shared", weakref.getweakrefcount(a))
    p = weakref.proxy(a)
    emit("wr.weakref.proxy", weakref.getweakrefcount(a))
    cb = lambda r: None  # noqa: E731 - the JS twin's callback is a str marker (the call hook ignores it)
    rc = weakref.ref(a, cb)
    emit("wr.weakref.callback", weakref.getweakrefcount(a))
    emit("rc.weakref.cb", refcount(cb))
    emit("rc.weakref.a_all", refcount(a))
    b = r()
    emit("rc.weakref.called", refcount(a))
    del b
    ws = weakref.getweakrefs(a)
    emit("rc.weakref.getweakrefs_r", refcount(r))
    del ws
    del a
    emit("rc.weakref.dead_r", refcount(r))
    emit("rc.weakref.dead_cb", refcount(cb))
    del r, r2, p, rc


# ---- finalizers and dealloc order -----------------------------------------------------

def s_order():
    class Holder:
        pass

    class Slotted:
        __slots__ = ("c", "a", "b")

    def values():
        h = Holder()
        h.c = mk(Marked, "c")
        h.a = mk(Marked, "a")
        h.b = mk(Marked, "b")
        del h
    emit("order.values", logged(values))

    def values_readded():
        h = Holder()
        h.c = mk(Marked, "c")
        h.a = mk(Marked, "a")
        h.b = mk(Marked, "b")
        del h.c
        h.c = mk(Marked, "c2")
        del h
    emit("order.values_readded", logged(values_readded))

    def slots():
        h = Slotted()
        h.c = mk(Marked, "c")
        h.a = mk(Marked, "a")
        h.b = mk(Marked, "b")
        del h
    emit("order.slots", logged(slots))

    def in_list():
        lst = [mk(Marked, "x"), mk(Marked, "y"), mk(Marked, "z")]
        del lst
    emit("order.list", logged(in_list))

    def in_tuple():
        t = (mk(Marked, "x"), mk(Marked, "y"), mk(Marked, "z"))
        del t
    emit("order.tuple", logged(in_tuple))

    def in_dict():
        d = {"p": mk(Marked, "p"), "q": mk(Marked, "q")}
        del d
    emit("order.dict", logged(in_dict))

    def chain():
        a = mk(Marked, "a")
        a.next = mk(Marked, "b")
        a.next.next = mk(Marked, "c")
        del a
    emit("order.chain", logged(chain))

    def refdeath_weakref():
        a = mk(Marked, "a")
        r = weakref.ref(a, wrcb("a"))
        del a
        del r
    emit("order.refdeath_weakref", logged(refdeath_weakref))

    def del_toggled():
        class C:
            pass

        class D(C):
            pass
        c1, c2, c3, d = mk(C, "c1"), mk(C, "c2"), mk(C, "c3"), mk(D, "d")
        del c1                          # no __del__ yet
        C.__del__ = Marked.__del__      # instances of C and its subclasses become finalizable
        del c2
        del d
        del C.__del__
        del c3
    emit("order.del_toggled", logged(del_toggled))


class Measured:
    """Records its own count while __del__ runs (the temporary resurrection plus `self`)."""
    def __del__(self):
        emit("rc.finalizer.in_del", refcount(self))


def s_resurrect():
    m = Measured()
    del m
    def once():
        p = mk(Phoenix, "p")
        del p
        x = SAVED.pop()
        emit("rc.resurrect.saved", refcount(x))
        del x
    emit("order.resurrect", logged(once))


# ---- cycles ------------------------------------------------------------------------------

def s_cycles():
    class Plain:
        pass

    gc.collect()
    a = Plain()
    b = Plain()
    a.other = b
    b.other = a
    del a, b
    emit("collect.pair", gc.collect())

    def cycle3():
        a, b, c = mk(Marked, "a"), mk(Marked, "b"), mk(Marked, "c")
        a.next = b
        b.next = c
        c.next = a
        del a, b, c
        emit("collect.cycle3", gc.collect())
    emit("order.cycle3", logged(cycle3))

    def cycle_weakrefs():
        a, b = mk(Marked, "a"), mk(Marked, "b")
        a.other = b
        b.other = a
        ra = weakref.ref(a, wrcb("a"))
        rb = weakref.ref(b, wrcb("b"))
        del a, b
        emit("collect.cycle_weakrefs", gc.collect())
        del ra, rb
    emit("order.cycle_weakrefs", logged(cycle_weakrefs))

    def cycle_resurrect():
        a, b = mk(Phoenix, "a"), mk(Marked, "b")
        a.other = b
        b.other = a
        del a, b
        emit("collect.resurrect_first", gc.collect())
        SAVED.clear()
        emit("collect.resurrect_second", gc.collect())
    emit("order.cycle_resurrect", logged(cycle_resurrect))


# ---- the gc module ----------------------------------------------------------------------------

def s_gc():
    import io
    import re
    emit("gc.threshold", " ".join(map(str, gc.get_threshold())))
    emit("gc.debug_flags", "%d %d %d %d %d" % (gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE,
                                               gc.DEBUG_SAVEALL, gc.DEBUG_LEAK))

    class A:
        pass
    gc.collect()
    a = A()
    b = A()
    a.other = b
    b.other = a
    n = fresh_int(1000)
    emit("gc.tracked", "%s %s %s" % (gc.is_tracked(a), gc.is_tracked(A), gc.is_tracked(n)))
    name = {id(a): "a", id(b): "b", id(A): "A"}
    emit("gc.referents_a", ",".join(name.get(id(r), type(r).__name__) for r in gc.get_referents(a)))
    emit("gc.referrers_b", ",".join(name.get(id(r), type(r).__name__) for r in gc.get_referrers(b)))
    del a, b
    err, sys.stderr = sys.stderr, io.StringIO()
    try:
        gc.set_debug(gc.DEBUG_COLLECTABLE | gc.DEBUG_SAVEALL)
        collected = gc.collect()
        gc.set_debug(0)
        text = sys.stderr.getvalue()
    finally:
        sys.stderr = err
    emit("gc.saveall_collect", collected)
    emit("gc.saveall_garbage", len(gc.garbage))
    emit("gc.saveall_stderr", re.sub(r"0x[0-9a-f]+", "0xADDR", text).replace("\n", "|"))
    gc.garbage.clear()
    gc.collect()


# ---- exceptions -----------------------------------------------------------------------------

def exc(case, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - recording whatever CPython raises
        emit("exc." + case, "%s: %s" % (type(e).__name__, e))
    else:
        raise AssertionError("no exception for " + case)


def s_exceptions():
    class A:
        pass

    class S:
        __slots__ = ("a",)

    n = fresh_int(1000)
    a = A()

    def setattr_int():
        n.x = 1

    def delattr_missing():
        del a.nope

    def cell_empty():
        return types.CellType().cell_contents

    def proxy_dead():
        b = A()
        p = weakref.proxy(b)
        del b
        return p.anything

    def slots_setattr():
        S().b = 1

    exc("setattr_int", setattr_int)
    exc("weakref_list", lambda: weakref.ref([]))
    exc("getattr_missing", lambda: a.nope)
    exc("getattr_class", lambda: A.nope)
    exc("delattr_missing", delattr_missing)
    exc("setattr_builtin_type", lambda: setattr(int, "x", 1))
    exc("cell_empty", cell_empty)
    exc("proxy_dead", proxy_dead)
    exc("slots_setattr", slots_setattr)


for scenario in (s_class, s_attrs, s_list, s_method, s_cell, s_weakref, s_order, s_resurrect, s_cycles, s_gc,
                 s_exceptions):
    scenario()

print("# refcounts_classes.txt: recorded from CPython %d.%d.%d by tests/record/refcounts_classes.py; do not edit"
      % sys.version_info[:3])
print("\n".join(out))
