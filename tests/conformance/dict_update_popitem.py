# dict(...) and d.update(...) with keyword arguments, pairs, a keys() mapping and their errors;
# d.popitem() (last item first, a freed slot reused) and its KeyError.
import sys
d = {'a': 1}
d.update(b=2, c=3)
print(d)
d.update([('x', 1), ['y', 2]], z=9)
print(d)
d.update({'a': 100})
print(d, sys.getsizeof(d))
class M:
    def keys(self):
        print("keys called")
        return ['k1', 'k2']
    def __getitem__(self, k):
        return k.upper()
d.update(M())
print(d)
print(dict(M(), extra=1))
print(dict(["ab", "cd"]))
for bad in ([(1, 2, 3)], [1], [[1]]):
    try:
        dict(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
    try:
        d.update(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    dict({}, {})
except TypeError as e:
    print(e)
try:
    d.update({}, {})
except TypeError as e:
    print(e)
e = {1: 'one', 2: 'two', 3: 'three'}
print(e.popitem(), e)
e[4] = 'four'
print(e, sys.getsizeof(e))
print(e.popitem(), e.popitem(), e.popitem())
try:
    e.popitem()
except KeyError as err:
    print("KeyError", err)
t = {}
for i in range(6):
    t[str(i)] = i
while t:
    k, v = t.popitem()
    print(k, v, len(t), sys.getsizeof(t))
t['new'] = 1
print(t, sys.getsizeof(t))
