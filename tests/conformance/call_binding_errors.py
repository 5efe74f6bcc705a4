# keyword-only and positional-only parameters: binding and CPython's TypeError messages (qualnames of methods and nested functions)
def f(a, *, b, c, d=4):
    return a, b, c, d
def g(a, b, /, c, *, d):
    return a, b, c, d
def h(*args, sep, **kw):
    return args, sep, kw
tests = [
    lambda: f(1, b=2, c=3),
    lambda: f(1),
    lambda: f(1, b=2),
    lambda: f(1, 2, 3),
    lambda: f(1, b=2, c=3, e=5),
    lambda: g(1, 2, 3, d=4),
    lambda: g(1, 2, c=3, d=4),
    lambda: g(1, b=2, c=3, d=4),
    lambda: g(1, 2, 3),
    lambda: h(1, 2, sep="-", x=1),
    lambda: h(1, 2),
    lambda: f(a=1, b=2, c=3),
    lambda: f(b=2, c=3),
]
for t in tests:
    try:
        print(t())
    except TypeError as e:
        print("TypeError:", e)
print(f.__kwdefaults__, g.__code__.co_posonlyargcount, g.__code__.co_kwonlyargcount)
def d(a, b=1):
    pass
def e(a, *, k):
    pass
def z():
    pass
def m(a, b, c, d):
    pass
for t in [lambda: d(1, 2, 3), lambda: e(1, 2, k=3), lambda: z(1), lambda: m(), lambda: m(1, 2),
          lambda: e(1, 2, 3, k=1, j=2), lambda: d(1, 2, a=3), lambda: d(*[1, 2, 3]), lambda: e(**{'a': 1})]:
    try:
        t()
    except TypeError as ex:
        print(ex)
class A:
    def m(self, x):
        pass
    def k(self, *, y):
        pass
for t in [lambda: A().m(), lambda: A().m(1, 2), lambda: A().m(1, z=2), lambda: A().k(), lambda: A().m(1, x=2)]:
    try:
        t()
    except TypeError as e:
        print(e)
def outer():
    def inner(a):
        pass
    inner()
try:
    outer()
except TypeError as e:
    print(e)
