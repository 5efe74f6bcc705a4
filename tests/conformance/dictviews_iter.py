# iterating views: the dict iterators, reversed(), length hints, size changes
d = {'a': 1, 'b': 2, 'c': 3}
for kind in (d.keys(), d.values(), d.items()):
    it = iter(kind)
    print(type(it).__name__, it.__length_hint__(), next(it), it.__length_hint__(), list(it))
for kind in (d, d.keys(), d.values(), d.items()):
    r = reversed(kind)
    print(type(r).__name__, r.__length_hint__(), list(r), r.__length_hint__())
del d['b']
print(list(reversed(d.items())), list(reversed(d)))
d['b'] = 20
print(list(reversed(d.keys())), list(d.values()))
print(list(reversed({}.values())))
for k, v in d.items():
    print(k, v)
a, b, c = d.values()
print(a, b, c)
(k1, v1), *rest = d.items()
print(k1, v1, rest)
print(list(enumerate(d.keys())), list(zip(d.keys(), d.values())))
print(list(map(str, d.values())), list(filter(lambda kv: kv[1] > 1, d.items())))
print(tuple(d.keys()), set(d.values()) == {1, 3, 20}, max(d.values()), min(d.keys()), sum(d.values()))
print(dict(d.items()), dict(zip(d.values(), d.keys())))
print(sorted(d.values(), reverse=True), sorted((v, k) for k, v in d.items()))
print(any(v > 10 for v in d.values()), all(d.keys()))
def grow(view):
    try:
        for x in view:
            d[str(x) + '!'] = 0
    except RuntimeError as e:
        print('RuntimeError:', e)
grow(d.keys())
grow(d.values())
grow(d.items())
grow(reversed(d.items()))
it = iter(d.values())
next(it)
d.pop('a')
try:
    next(it)
except RuntimeError as e:
    print('RuntimeError:', e)
try:
    next(it)
except (RuntimeError, StopIteration) as e:
    print(type(e).__name__, e)
# replacing values keeps the view iteration going
for k in d.keys():
    d[k] = 0
print(d)
