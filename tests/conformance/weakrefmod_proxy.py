# weakref.proxy / callable proxies: attribute access, calls, str, dead proxies
import weakref


class A:
    def __init__(self):
        self.x = 1

    def __call__(self, y):
        return self.x + y

    def __str__(self):
        return 'A-str'


class B:
    pass


def gone(p):
    print('proxy callback')


a = A()
b = B()
p = weakref.proxy(a)
pb = weakref.proxy(b, gone)
print(p.__class__ is A, pb.__class__ is B)
print(type(p) is weakref.CallableProxyType, type(pb) is weakref.ProxyType, weakref.ProxyTypes == (weakref.ProxyType, weakref.CallableProxyType))
print(p.x, p(2), str(p))
p.x = 10
print(a.x, p(2))
print(weakref.proxy(a) is p, weakref.getweakrefcount(a))
print(p == a, pb == b)
try:
    hash(p)
except TypeError as e:
    print('TypeError:', e)
del b
try:
    pb.anything
except ReferenceError as e:
    print('ReferenceError:', e)
del a
try:
    p(1)
except ReferenceError as e:
    print('ReferenceError:', e)
try:
    weakref.proxy(5)
except TypeError as e:
    print('TypeError:', e)
try:
    weakref.proxy()
except TypeError as e:
    print('TypeError:', e)
try:
    weakref.proxy(B(), None, 3)
except TypeError as e:
    print('TypeError:', e)
