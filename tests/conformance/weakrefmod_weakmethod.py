# weakref.WeakMethod: a weak reference to a bound method, dead with its object
import weakref


class A:
    def __init__(self, n):
        self.n = n

    def get(self):
        return self.n


def gone(wm):
    print('callback', wm() is None)


a = A(5)
wm = weakref.WeakMethod(a.get, gone)
m = wm()
print(m(), m.__self__ is a if hasattr(m, '__self__') else True, wm == weakref.WeakMethod(a.get), wm != weakref.WeakMethod(a.get))
print(weakref.getweakrefcount(a))
del m
del a
print(wm(), wm == wm)
try:
    weakref.WeakMethod(gone)
except TypeError as e:
    print('TypeError:', e)
