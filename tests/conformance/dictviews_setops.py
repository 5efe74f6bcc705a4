# keys and items views are set-like: &, |, -, ^ give a new set; isdisjoint
d = {1: 'one', 2: 'two', 3: 'three'}
e = {2: 'two', 3: 'THREE', 4: 'four'}
k, ek = d.keys(), e.keys()
print(k & ek, k | ek, k - ek, k ^ ek)
print(k & {1, 7}, {1, 7} & k, k & [3, 3, 9], k & range(2, 10))
print(k | {0}, {0} | k, k | [9, 8], k - [1], {1, 5} - k, k ^ {3, 5}, {3, 5} ^ k)
print(type(k & ek).__name__, type(k | [1]).__name__)
print(d.items() & e.items())
print(sorted(d.items() | e.items()))
print(sorted(d.items() - e.items()), sorted(e.items() - d.items()))
print(sorted(d.items() ^ e.items()))
print(d.items() & {(1, 'one'), (5, 'five')})
print(d.items() ^ {(1, 'one')} == {(2, 'two'), (3, 'three')})
s = {'x': 1, 'y': 2, 'z': 3}
print(sorted(s.keys() & {'x', 'z', 'w'}), sorted(s.keys() | {'w'}), sorted(s.keys() - {'y'}))
print(s.keys() & {'x'}, s.keys() - {'x', 'y'}, {'y'} - s.keys())
print(k.isdisjoint({4, 5}), k.isdisjoint([5, 3]), k.isdisjoint(ek), k.isdisjoint(x for x in (7, 8)))
print(d.items().isdisjoint(e.items()), d.items().isdisjoint([(1, 'one')]), {}.keys().isdisjoint({}.keys()))
print(k & (x for x in (1, 2, 9)), k | (x * 10 for x in (1, 2)))
k2 = d.keys()
k2 &= {1, 2}
print(k2, type(k2).__name__, d)
for bad in (lambda: d.values() & {1}, lambda: d.values() | {1}, lambda: k & 5, lambda: k - None):
    try:
        bad()
    except TypeError as ex:
        print('TypeError:', ex)
for bad in (lambda: d.keys(1), lambda: d.items(1, 2), lambda: d.keys().isdisjoint(), lambda: d.items().isdisjoint(1, 2),
            lambda: d.keys().isdisjoint(5)):
    try:
        bad()
    except TypeError as ex:
        print('TypeError:', ex)
# operands that run Python code while they are iterated
class It:
    def __iter__(self):
        return iter([2, 9])
print(d.keys() & map(int, '13'), d.keys() | filter(None, [0, 7]), d.keys() - enumerate('x'), d.keys() ^ It())
print(d.keys().isdisjoint(zip([5], [6])), d.items() & {(1, 'one')}, d.keys() & reversed([3, 4]))
