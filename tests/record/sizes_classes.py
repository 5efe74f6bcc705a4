"""Records facts about user classes and their instances from real CPython 3.12
for the native tests of core/src/typeobject.c (and the split-table half of
core/src/dictobject.c).

    PYENV_VERSION=3.12.1 python3.12 tests/record/sizes_classes.py > tests/fixtures/sizes_classes.txt

Output: one fact per line, "<case> <value>": the case is one token without
spaces, the value is the rest of the line. Lines starting with '#' are
comments. Never edit the output by hand; rerun this script.

Sections
  class.<shape>.getsizeof     sys.getsizeof(cls)
  class.<shape>.sizeof        type.__sizeof__(cls)
  class.<shape>.flags         cls.__flags__ (decimal) right after the class statement
  class.<shape>.basicsize     cls.__basicsize__
  class.<shape>.weakrefoffset cls.__weakrefoffset__ ; .dictoffset cls.__dictoffset__
  class.<shape>.keys          the keys of cls.__dict__, in order
  class.<shape>.refcnt        sys.getrefcount(cls) - 1 with one name bound to cls (a local)
  inst.<shape>.getsizeof      sys.getsizeof(cls()) ; inst.<shape>.sizeof  object.__sizeof__
  methods.N.getsizeof         a class with N methods and N class attributes
  alloc.first33               per instance of a fresh class: the bytes tracemalloc sees
                              allocated by `A()` (instance block + values block)
  dictsize.fresh              getsizeof(A().__dict__) for 33 successive instances of a fresh class
  dictsize.late               five instances made first, then getsizeof of each one's __dict__
  dictsize.attrs_live         one instance, __dict__ materialised first, getsizeof after 1..40 setattr
  dictsize.attrs_values.K     fresh class, one instance, K setattrs, then getsizeof(__dict__)
  dictsize.copy               getsizeof(d), getsizeof(d.copy()) for d = instance dict with 2 attrs (1st instance)
  dictsize.nonstr             getsizeof(a.__dict__) after a.x = 1 then a.__dict__[1] = 1 (1st instance)
  dictorder.<case>            list(a.__dict__) after the given operations (popitem, setdefault,
                              update: the popped key / getsizeof first)
  refcnt.instances            sys.getrefcount(A) - 1 after creating 0..5 instances
  dealloc.<case>              order in which attribute values die (markers log in __del__)
  trash.<case>.N              order in which markers of a chain of N instances die when the head is dropped
                              (markers are functions observed by weakref callbacks: func_dealloc has no trashcan)
  error.<case>                the exception type and message
  type_rename                 __name__, __qualname__ and repr after assigning both
  static_type_names           __name__ __qualname__ __module__ of int, then of weakref.ReferenceType
  class_assign_result         after p.__class__ = Q: type name, p.x, refcount lost by P, gained by Q,
                              getsizeof(p.__dict__)
"""
import gc
import sys
import tracemalloc
import weakref

getsizeof = sys.getsizeof
out = []


def emit(case, value):
    assert " " not in case, case
    out.append(f"{case} {value}")


# ---- class shapes ---------------------------------------------------------

class A: pass
class M:
    x = 1
    def f(self): pass
    def g(self): pass
class S: __slots__ = ('c', 'a', 'b')
class S0: __slots__ = ()
class B(A): pass
class C(S): pass
class SD: __slots__ = ('__dict__',)
class SW: __slots__ = ('__weakref__', 'x')
class S2(A): __slots__ = ('x',)
class D:
    """doc"""
    def __del__(self): pass

shapes = dict(A=A, M=M, S=S, S0=S0, B=B, C=C, SD=SD, SW=SW, S2=S2, D=D)
for name, cls in shapes.items():
    emit(f"class.{name}.getsizeof", getsizeof(cls))
    emit(f"class.{name}.sizeof", type.__sizeof__(cls))
    emit(f"class.{name}.flags", cls.__flags__)
    emit(f"class.{name}.basicsize", cls.__basicsize__)
    emit(f"class.{name}.dictoffset", cls.__dictoffset__)
    emit(f"class.{name}.weakrefoffset", cls.__weakrefoffset__)
    emit(f"class.{name}.keys", " ".join(cls.__dict__))
# refcounts before any instance or subclass can add references: fresh copies
# each class is referenced by a local of the function (as a module global
# would be); no instance or subclass exists yet
def fresh_refcounts():
    class A: pass
    emit("class.A.refcnt", sys.getrefcount(A) - 1)
    class B(A): pass
    emit("class.B.refcnt", sys.getrefcount(B) - 1)
    emit("class.A_with_subclass.refcnt", sys.getrefcount(A) - 1)
    class S: __slots__ = ('c', 'a', 'b')
    emit("class.S.refcnt", sys.getrefcount(S) - 1)
    class M:
        x = 1
        def f(self): pass
    emit("class.M.refcnt", sys.getrefcount(M) - 1)
fresh_refcounts()
for name, cls in shapes.items():
    emit(f"inst.{name}.getsizeof", getsizeof(cls()))
    emit(f"inst.{name}.sizeof", object.__sizeof__(cls()))

def make_methods(n):
    ns = {}
    for i in range(n):
        exec(f"def m{i}(self): pass", ns)
    body = {f"m{i}": ns[f"m{i}"] for i in range(n)}
    body.update({f"x{i}": i for i in range(n)})
    body["__module__"] = __name__
    body["__qualname__"] = "K"
    return type("K", (), body)
for n in range(0, 6):
    emit(f"methods.{n}.getsizeof", getsizeof(make_methods(n)))
emit("methods.40.getsizeof", getsizeof(make_methods(40)))

# ---- per-instance allocations (tracemalloc) ---------------------------------

ALLOC_LINE = next(i + 1 for i, text in enumerate(open(__file__).read().splitlines())
                  if text.endswith("# ALLOC-LINE") and "keep[i]" in text)


def alloc_first(n):
    class A: pass
    keep = [None] * n
    tracemalloc.start()
    res = []
    for i in range(n):
        before = tracemalloc.take_snapshot()
        keep[i] = A()                                  # ALLOC-LINE
        after = tracemalloc.take_snapshot()
        line = ALLOC_LINE
        sizes = []
        for st in after.compare_to(before, "traceback"):
            fr = st.traceback[0]
            if fr.lineno == line and fr.filename == __file__ and st.count_diff > 0:
                sizes.append(st.size_diff)
        res.append(str(sum(sizes)))
    tracemalloc.stop()
    return res
emit("alloc.first33", " ".join(alloc_first(33)))

# ---- __dict__ sizes -------------------------------------------------------------

def dictsize_fresh():
    class A: pass
    return [getsizeof(A().__dict__) for _ in range(33)]
emit("dictsize.fresh", " ".join(map(str, dictsize_fresh())))

def dictsize_late():
    class A: pass
    objs = [A() for _ in range(5)]
    return [getsizeof(o.__dict__) for o in objs]
emit("dictsize.late", " ".join(map(str, dictsize_late())))

def dictsize_attrs_live():
    class A: pass
    a = A()
    d = a.__dict__
    res = []
    for i in range(40):
        setattr(a, f"a{i}", i)
        res.append(getsizeof(d))
    return res
emit("dictsize.attrs_live", " ".join(map(str, dictsize_attrs_live())))

def dictsize_attrs_values(k):
    class A: pass
    a = A()
    for i in range(k):
        setattr(a, f"a{i}", i)
    return getsizeof(a.__dict__)
for k in range(0, 41):
    emit(f"dictsize.attrs_values.{k}", dictsize_attrs_values(k))

def dictsize_copy():
    class A: pass
    a = A()
    a.p = 1
    a.q = 2
    d = a.__dict__
    return [getsizeof(d), getsizeof(d.copy())]
emit("dictsize.copy", " ".join(map(str, dictsize_copy())))

def dictsize_nonstr():
    class A: pass
    a = A()
    a.x = 1
    r = [getsizeof(a.__dict__)]
    a.__dict__[1] = 1
    r.append(getsizeof(a.__dict__))
    return r
emit("dictsize.nonstr", " ".join(map(str, dictsize_nonstr())))

def dictsize_subclass():
    class A: pass
    class B(A): pass
    return [getsizeof(B().__dict__) for _ in range(3)] + [getsizeof(A().__dict__)]
emit("dictsize.subclass", " ".join(map(str, dictsize_subclass())))

def dictorder():
    class A: pass
    a1 = A(); a1.a = 1; a1.b = 2; a1.c = 3
    a2 = A(); a2.c = 1; a2.b = 2; a2.a = 3
    emit("dictorder.reversed", " ".join(a2.__dict__))
    a3 = A(); a3.c = 1; a3.b = 2; a3.a = 3; del a3.b; a3.b = 4
    emit("dictorder.del_reinsert", " ".join(a3.__dict__))
    a4 = A(); a4.c = 1; d = a4.__dict__; d['z'] = 1; d['a'] = 2; del d['c']
    emit("dictorder.via_dict", " ".join(d))
    a5 = A(); a5.c = 1; a5.a = 2; a5.b = 3; d = a5.__dict__
    k, v = d.popitem()
    emit("dictorder.popitem", f"{k} {getsizeof(d)} " + " ".join(d))
    a6 = A(); a6.b = 1; d = a6.__dict__
    d.setdefault("q", 5); d.setdefault("a", 6)
    emit("dictorder.setdefault", f"{getsizeof(d)} " + " ".join(d))
    a7 = A(); a7.b = 1; d = a7.__dict__
    d.update({"a": 1, "zz": 2})
    emit("dictorder.update", f"{getsizeof(d)} " + " ".join(d))
    a8 = A(); d = a8.__dict__
    d.update({"a": 1, "zz": 2})
    emit("dictorder.update_empty", f"{getsizeof(d)} " + " ".join(d))
    class C: pass
    a, b = C(), C()
    b.p = 1; b.q = 2; a.z = 0
    d = a.__dict__
    d.update(b.__dict__)
    emit("dictorder.update_shared", f"{getsizeof(d)} " + " ".join(d))
dictorder()

def refcnt_instances():
    class A: pass
    keep = []
    res = [sys.getrefcount(A) - 1]
    for _ in range(5):
        keep.append(A())
        res.append(sys.getrefcount(A) - 1)
    return res
emit("refcnt.instances", " ".join(map(str, refcnt_instances())))

# ---- deallocation order ------------------------------------------------------------

log = []
class Mk:
    def __init__(self, n): self.n = n
    def __del__(self): log.append(self.n)

def dealloc_cases():
    class A: pass
    a1 = A(); a1.a = Mk('a'); a1.b = Mk('b'); a1.c = Mk('c')
    del a1
    emit("dealloc.values_abc", " ".join(log)); log.clear()
    a2 = A(); a2.c = Mk('c'); a2.b = Mk('b'); a2.a = Mk('a')
    del a2
    emit("dealloc.values_cba_after_abc", " ".join(log)); log.clear()
    a3 = A(); a3.c = Mk('c'); a3.b = Mk('b'); a3.a = Mk('a'); a3.__dict__
    del a3
    emit("dealloc.dict_cba_after_abc", " ".join(log)); log.clear()
    a4 = A(); a4.c = Mk('c'); a4.b = Mk('b'); a4.a = Mk('a'); del a4.b; a4.b = Mk('b2')
    del a4
    emit("dealloc.values_delete_reinsert", " ".join(log)); log.clear()
    class S: __slots__ = ('c', 'a', 'b')
    s = S(); s.c = Mk('c'); s.a = Mk('a'); s.b = Mk('b')
    del s
    emit("dealloc.slots_cab", " ".join(log)); log.clear()
    class T(S): __slots__ = ('z', 'y')
    t = T(); t.z = Mk('z'); t.y = Mk('y'); t.c = Mk('c'); t.a = Mk('a'); t.b = Mk('b')
    del t
    emit("dealloc.subclass_slots", " ".join(log)); log.clear()
    class U(S): pass
    u = U(); u.q = Mk('q'); u.c = Mk('c'); u.a = Mk('a')
    del u
    emit("dealloc.slots_then_dict", " ".join(log)); log.clear()
    class K:
        def __del__(self): log.append('K')
    k = K(); k.x = Mk('x'); k.y = Mk('y')
    del k
    emit("dealloc.finalizer_first", " ".join(log)); log.clear()
    class R:
        def __del__(self):
            log.append('R')
            saved.append(self)
    saved = []
    r = R(); r.x = Mk('x')
    del r
    emit("dealloc.resurrect_first", " ".join(log) + " alive=" + str(len(saved))); log.clear()
    saved.clear()
    emit("dealloc.resurrect_second", " ".join(log)); log.clear()
    class C: pass
    gc.collect()
    gc.disable()
    c = C(); c.a = Mk('a'); c.self = c; c.b = Mk('b')
    del c
    n = gc.collect()
    emit("dealloc.gc_cycle", " ".join(log) + f" collected={n}"); log.clear()
    gc.enable()
dealloc_cases()

def trash_chain(n, order):
    """A chain of n instances (node i holds node i-1 in .next) with a marker
    each; returns the order in which the markers die when the head is dropped."""
    class N: pass
    died = []
    refs = []
    head = None
    for i in range(n):
        node = N()
        def marker(): pass
        refs.append(weakref.ref(marker, lambda r, i=i: died.append(i)))
        if order == "next_first":
            node.next = head
            node.m = marker
        else:
            node.m = marker
            node.next = head
        del marker
        head = node
    node = None
    head = None
    return died
for order in ("next_first", "marker_first"):
    emit(f"trash.{order}.120", " ".join(map(str, trash_chain(120, order))))

# ---- errors ----------------------------------------------------------------------------

def err(case, fn):
    try:
        fn()
    except Exception as e:
        emit(f"error.{case}", f"{type(e).__name__}: {e}")
    else:
        emit(f"error.{case}", "no error")

def _set(o, n, v): setattr(o, n, v)
err("getattr_missing", lambda: A().x)
err("delattr_missing", lambda: delattr(A(), "x"))
def _del_materialised():
    a = A(); a.__dict__
    del a.x
err("delattr_missing_dict", _del_materialised)
err("slot_empty", lambda: S().a)
err("slot_del_empty", lambda: delattr(S(), "a"))
err("slot_no_dict", lambda: _set(S(), "zz", 1))
err("slot_getattr_missing", lambda: S().zz)
err("class_getattr_missing", lambda: A.zz)
err("class_delattr_missing", lambda: delattr(A, "zz"))
err("builtin_setattr", lambda: _set(int, "x", 1))
err("object_setattr", lambda: _set(object(), "x", 1))
err("setattr_nonstr", lambda: _set(A(), 1, 1))
def _setdict():
    a = A()
    a.__dict__ = 7
err("setdict_nondict", _setdict)
err("setweakref", lambda: _set(A(), "__weakref__", 1))
err("descr_wrong_type", lambda: S.__dict__["a"].__get__(A(), A))
class T3: __slots__ = ('b',)
class U3: __slots__ = ('c', 'a', 'b')
err("type_set_dict", lambda: _set(A, "__dict__", {}))
err("type_set_mro", lambda: _set(A, "__mro__", ()))
err("type_set_base", lambda: _set(A, "__base__", B))
err("type_set_name_int", lambda: _set(A, "__name__", 5))
err("type_set_qualname_int", lambda: _set(A, "__qualname__", 5))
err("type_del_name", lambda: delattr(A, "__name__"))
err("type_del_qualname", lambda: delattr(A, "__qualname__"))
err("class_assign_slots", lambda: _set(A(), "__class__", S))
err("class_assign_builtin", lambda: _set(A(), "__class__", int))
err("class_assign_other_slots", lambda: _set(S(), "__class__", T3))
err("class_assign_same_slots", lambda: _set(S(), "__class__", U3))
err("class_assign_plain", lambda: _set(A(), "__class__", M))
err("class_assign_nontype", lambda: _set(A(), "__class__", 5))
err("class_delete", lambda: delattr(A(), "__class__"))
def _renamed():
    class R: pass
    R.__name__ = "Z"
    R.__qualname__ = "Q.Z"
    return f"{R.__name__} {R.__qualname__} {R!r}".replace("__main__.", "")
emit("type_rename", _renamed())
emit("static_type_names", " ".join(f"{t.__name__} {t.__qualname__} {t.__module__}" for t in (int, weakref.ReferenceType)))
def _reclassed():
    class P: pass
    class Q: pass
    p = P(); p.x = 1
    before = (sys.getrefcount(P), sys.getrefcount(Q))
    p.__class__ = Q
    return f"{type(p).__name__} {p.x} {before[0] - sys.getrefcount(P)} {sys.getrefcount(Q) - before[1]} {getsizeof(p.__dict__)}"
emit("class_assign_result", _reclassed())
err("slots_not_identifier", lambda: type("Bad", (), {"__slots__": ("1a",)}))
err("slots_not_str", lambda: type("Bad", (), {"__slots__": (1,)}))
err("slots_conflict", lambda: type("Bad", (), {"__slots__": ("a",), "a": 1}))
err("slots_dict_twice", lambda: type("Bad", (A,), {"__slots__": ("__dict__",)}))
err("slots_weakref_twice", lambda: type("Bad", (A,), {"__slots__": ("__weakref__",)}))
err("slots_duplicate_dict", lambda: type("Bad", (), {"__slots__": ("__dict__", "__dict__")}))

print(f"# recorded by tests/record/sizes_classes.py with Python {sys.version.split()[0]}")
print("\n".join(out))
