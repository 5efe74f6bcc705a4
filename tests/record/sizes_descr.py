"""Records facts about property, classmethod and staticmethod from real
CPython 3.12 for the native test of core/src/descrobject.c
(tests/core/test_descr.c).

    PYENV_VERSION=3.12.1 python3.12 tests/record/sizes_descr.py > tests/fixtures/sizes_descr.txt

Output: one fact per line, "<case> <value>" (the case one token, the value
the rest of the line); '#' lines are comments. Never edit the output by
hand; rerun this script.

  getsizeof.<type>        sys.getsizeof of property(), classmethod(f), staticmethod(f)
  tracked.<type>          gc.is_tracked of a fresh one (1/0)
  referents.<case>        len(gc.get_referents(x))
  refcnt.<case>           sys.getrefcount(f) - 1 with f a local, after wrapping it as given
  wraps.keys              list(staticmethod(f).__dict__) (classmethod the same)
  wraps.name              staticmethod(f).__dict__['__qualname__'] for a module-level f
  error.<case>            type and message of the exception
  doc.<case>              the property's __doc__ (repr)
"""
import gc
import sys

print("# recorded by tests/record/sizes_descr.py with Python %d.%d.%d" % sys.version_info[:3])


def f(self):
    pass


def g(self):
    "g's doc"


print("getsizeof.property", sys.getsizeof(property()))
print("getsizeof.classmethod", sys.getsizeof(classmethod(f)))
print("getsizeof.staticmethod", sys.getsizeof(staticmethod(f)))
print("tracked.property", int(gc.is_tracked(property())))
print("tracked.classmethod", int(gc.is_tracked(classmethod(f))))
print("tracked.staticmethod", int(gc.is_tracked(staticmethod(f))))
print("referents.property_empty", len(gc.get_referents(property())))
print("referents.property_fget", len(gc.get_referents(property(f))))
print("referents.property_all", len(gc.get_referents(property(f, f, f, "d"))))
print("referents.staticmethod", len(gc.get_referents(staticmethod(f))))


def refcounts():
    def h(self):
        pass
    base = sys.getrefcount(h) - 1
    p = property(h)
    a = sys.getrefcount(h) - 1
    p2 = p.setter(h)
    b = sys.getrefcount(h) - 1
    s = staticmethod(h)
    c = sys.getrefcount(h) - 1
    m = classmethod(h)
    d = sys.getrefcount(h) - 1
    del p, p2, s, m
    e = sys.getrefcount(h) - 1
    return base, a, b, c, d, e


print("refcnt.wrap", *refcounts())
print("wraps.keys", *list(staticmethod(f).__dict__))
print("wraps.name", staticmethod(f).__dict__['__qualname__'])
print("doc.fget_none", repr(property(f).__doc__))
print("doc.fget_doc", repr(property(g).__doc__))
print("doc.given", repr(property(g, None, None, "given").__doc__))
print("doc.copy_from_getter", repr(property(g).getter(f).__doc__))
print("doc.copy_given", repr(property(g, None, None, "given").getter(f).__doc__))


class A:
    x = property(f)
    y = property()


class Outer:
    class Inner:
        z = property(f)


A.w = property(f)


def err(label, fn):
    try:
        fn()
    except Exception as e:
        print("error." + label, type(e).__name__ + ":", e)


def set_x(o, attr):
    setattr(o, attr, 1)


err("no_setter", lambda: set_x(A(), "x"))
err("no_deleter", lambda: delattr(A(), "x"))
err("no_getter", lambda: A().y)
err("unnamed_setter", lambda: set_x(A(), "w"))
err("nested_setter", lambda: set_x(Outer.Inner(), "z"))
err("copy_keeps_name", lambda: set_x(A(), "x") if A.__dict__['x'].getter(g) else None)
