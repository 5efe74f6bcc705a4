# *args / **kwargs at call sites, keyword-only parameters, star-unpacking and starred displays
def f(a, b=2, *args, k=0, **kw):
    print(a, b, args, k, sorted(kw.items()))
t = (1, 2, 3)
l = [4, 5]
d = {'x': 1, 'y': 2}
f(*t)
f(*l, k=9)
f(**{'a': 7})
f(1, *l, k=2, **d)
f(0, *t, *l, 6, z=3, **d)
f(*range(3))
f(*(i for i in range(2)))
a, *b = [1, 2, 3, 4]
print(a, b)
*a, b, c = "hello"
print(a, b, c)
a, *b, c = (1, 2)
print(a, b, c)
print([*t, *l], (*t,), {*l}, {**d, 'k': 1}, {'z': 0, **d})
print([0, *t, 9])
for x, *rest in [(1, 2, 3), (4,)]:
    print(x, rest)
try:
    a, *b, c = [1]
except ValueError as e:
    print(e)
try:
    f(*5)
except TypeError as e:
    print(e)
try:
    f(**[1])
except TypeError as e:
    print(e)
try:
    f(1, **{'a': 2})
except TypeError as e:
    print(e)
try:
    f(1, **{'k': 2}, **{'k': 3})
except TypeError as e:
    print(e)
try:
    print(*5)
except TypeError as e:
    print(e)
try:
    a, *b = 5
except TypeError as e:
    print(e)
try:
    [*5]
except TypeError as e:
    print(e)
try:
    {**[1]}
except TypeError as e:
    print(e)
print(*[1, 2], sep='-')
def g(*, key, other=3):
    return key, other
print(g(key=1), g(other=1, key=2))
try:
    g(1)
except TypeError as e:
    print(e)
try:
    g()
except TypeError as e:
    print(e)
class P:
    def m(self, *a, **k):
        return a, k
p = P()
print(p.m(*t, **d))
print(p.m(1, key=2))
