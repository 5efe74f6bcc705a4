# dict views: reprs, sizes, type names, liveness (the view reads the dict as it is now)
import sys

d = {'a': 1, 'b': 2}
k, v, i = d.keys(), d.values(), d.items()
print(k)
print(v)
print(i)
print(type(k).__name__, type(v).__name__, type(i).__name__)
print(sys.getsizeof(k), sys.getsizeof(v), sys.getsizeof(i))
print(len(k), len(v), len(i), bool(k), bool({}.keys()))
d['c'] = 3
print(k, len(k))
print(v)
print(i)
del d['a']
print(k, v, i)
d.clear()
print(k, v, i, len(i))
print({}.keys(), {}.values(), {}.items())
print(str(k), repr(v))
n = {1: [1, 2], 2: (3,), 3: {'x': None}, 4: 'four'}
print(n.values())
print(n.items())
print([n.keys(), n.values()])
print({'k': n.keys()})
r = {}
r['me'] = r.keys()
r['vals'] = r.values()
r['items'] = r.items()
print(r)
print(r.values())
print(r.items())
print(repr(r.keys()))
try:
    hash({}.keys())
except TypeError as e:
    print('TypeError:', e)
try:
    hash({}.items())
except TypeError as e:
    print('TypeError:', e)
vv = {}.values()
print(hash(vv) == hash(vv))
class C:
    def __repr__(self):
        return 'C()'
print({C(): C()}.items())
