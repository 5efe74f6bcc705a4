# weakref.ref: identity of basic refs, callbacks, hash and == rules, calling it
import weakref


class A:
    def __init__(self, n):
        self.n = n


def cb(wr):
    print('callback', type(wr) is weakref.ref, wr() is None)


a = A(1)
r1 = weakref.ref(a)
r2 = weakref.ref(a)
r3 = weakref.ref(a, cb)
print(r1 is r2, r1 is r3, r1 == r3, r1() is a, r3() is a)
print(hash(r1) == hash(a), hash(r3) == hash(a))
print(weakref.getweakrefcount(a), len(weakref.getweakrefs(a)), weakref.getweakrefs(a)[0] is r1)
print(weakref.ref is weakref.ReferenceType, isinstance(r1, weakref.ref), weakref.ReferenceType)
b = A(1)
rb = weakref.ref(b)
print(r1 == rb, r1 != rb)
h = hash(r1)
del a
print(r1(), r3(), r1 == r2, r1 == r3, hash(r1) == h)
print(weakref.getweakrefcount(b), weakref.getweakrefcount(1), weakref.getweakrefs(1))
d = {r1: 'dead key'}
print(d[r1])
for bad in (1, 'str', (), [], {}, None, 2.5):
    try:
        weakref.ref(bad)
    except TypeError as e:
        print('TypeError:', e)
try:
    weakref.ref()
except TypeError as e:
    print('TypeError:', e)
try:
    weakref.ref(b, cb, 3)
except TypeError as e:
    print('TypeError:', e)
try:
    weakref.getweakrefcount()
except TypeError as e:
    print('TypeError:', e)
try:
    rb(1)
except TypeError as e:
    print('TypeError:', e)
