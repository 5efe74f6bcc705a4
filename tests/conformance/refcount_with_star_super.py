# reference counts around with blocks, calls with *args/**kwargs, unpacking and super() calls; gc counts
import sys, gc
class CM:
    def __enter__(self):
        print("enter rc", sys.getrefcount(self))
        return self
    def __exit__(self, t, v, tb):
        print("exit rc", sys.getrefcount(self), t is None, sys.getrefcount(v) if v is not None else -1)
        return True
    def __del__(self):
        print("CM del")
with CM() as c:
    print("body rc", sys.getrefcount(c))
del c
print("--")
with CM():
    print("anon")
print("--")
with CM() as c2:
    raise ValueError("x")
print("after", sys.getrefcount(c2))
del c2
def f(*args, **kw):
    return sys.getrefcount(args), sys.getrefcount(kw)
t = (object(), object())
print(f(*t))
print(sys.getrefcount(t))
o = object()
l = [o]
print(f(*l), sys.getrefcount(o))
d = {'k': o}
print(f(**d), sys.getrefcount(o))
def g(a, b):
    return sys.getrefcount(a)
print(g(*[o, o]))
print(g(**{'a': o, 'b': 1}))
a, *b = [o, o, o]
print(sys.getrefcount(o), sys.getsizeof(b))
del a, b
x = [*l, *l]
print(sys.getrefcount(o), sys.getsizeof(x))
y = (*l, 1)
print(sys.getrefcount(o), sys.getsizeof(y))
z = {**d}
print(sys.getrefcount(o), sys.getsizeof(z))
class Base:
    def m(self):
        return sys.getrefcount(self)
class Der(Base):
    def m(self):
        return super().m()
    def n(self):
        return super(Der, self).m()
obj = Der()
print(obj.m(), obj.n(), sys.getrefcount(obj))
class Quiet:
    def __enter__(self):
        return 1
    def __exit__(self, *a):
        return False
gc.collect()
n0 = gc.get_count()
with Quiet() as q:
    pass
n1 = gc.get_count()
print(n0, n1)
