import gc
import sys
import weakref
print(gc)
print(sys)
print(repr(weakref).split(" from ")[0])
print(len)
print(repr(print))
print(repr([].append).split(' at ')[0])
print(repr({}.get).split(' at ')[0])
print(repr("x".upper).split(' at ')[0])
print(gc.collect)
print(sys.getsizeof)
class C:
    def m(self):
        pass
def f():
    yield 1
print(C)
print(repr(C()).split(' at ')[0])
print(repr(C().m).split(' at ')[0])
print(repr(f).split(' at ')[0])
print(repr(f()).split(' at ')[0])
print(repr(lambda: 0).split(' at ')[0])
x = C()
r = weakref.ref(x)
print(type(r))
print(type(r).__name__, type(r).__module__, type(r).__qualname__)
print(weakref.ref)
print(type(len), type(gc), type(f), type(C), type(C.m), type(C().m))
print(int, str, list, dict, type, object, type(None))
print(ValueError, KeyError)
print(type([].append))
print(len.__name__, gc.__name__)
