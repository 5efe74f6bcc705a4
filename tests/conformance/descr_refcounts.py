# Reference counts and sizes: the wrapped functions, the property object,
# self inside a getter (the getter's frame holds it), bound classmethods.
import sys


def f(self):
    return sys.getrefcount(self)


print(sys.getrefcount(f))
p = property(f)
print(sys.getrefcount(f), sys.getrefcount(p))
s = staticmethod(f)
c = classmethod(f)
print(sys.getrefcount(f), sys.getsizeof(p), sys.getsizeof(s), sys.getsizeof(c))
p2 = p.setter(f)
print(sys.getrefcount(f), sys.getrefcount(p), sys.getrefcount(p2))
del p2, s, c
print(sys.getrefcount(f))


class A:
    x = p

    @property
    def me(self):
        return sys.getrefcount(self)

    @classmethod
    def cm(cls):
        return sys.getrefcount(cls)

    @staticmethod
    def st():
        return 1


print(sys.getrefcount(p), sys.getrefcount(A.__dict__['me']))
a = A()
print(sys.getrefcount(a), a.x, a.me, sys.getrefcount(a))
base = sys.getrefcount(A)
print(A.cm() - base, a.cm() - base)
bound = A.cm
print(sys.getrefcount(A) - base, sys.getsizeof(bound))
del bound
print(sys.getrefcount(A) - base)
print(sys.getrefcount(A.__dict__['st']), sys.getrefcount(A.__dict__['cm']))
