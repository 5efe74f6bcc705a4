# weakref callbacks: newest first, called with the dead weakref; None as callback
import gc
import weakref


class A:
    pass


def make(tag):
    def cb(wr):
        print('callback', tag, wr() is None)
    return cb


a = A()
keep = [weakref.ref(a, make(i)) for i in range(3)]
keep.append(weakref.ref(a, None))
print(weakref.getweakrefcount(a))
del a
print('after del')


class Cyc:
    def __init__(self):
        self.me = self


gc.collect()
c = Cyc()
wr = weakref.ref(c, make('cycle'))
del c
print('before collect')
print(gc.collect())
print(wr())
