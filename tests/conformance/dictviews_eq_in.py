# equality (keys/items like sets, values by identity), orderings, `in`
d = {'a': 1, 'b': 2}
k, v, i = d.keys(), d.values(), d.items()
print(k == {'a', 'b'}, {'b', 'a'} == k, k == frozenset('ab'), k == ['a', 'b'], k == ('a', 'b'))
print(k == {'a': 0, 'b': 0}.keys(), k != {'a'}, k == {'a', 'b', 'c'})
print(i == {('a', 1), ('b', 2)}, i == {'a': 1, 'b': 3}.items(), i == {'b': 2, 'a': 1}.items())
print(k == i, i == {('a', 1)})
print(v == v, v == d.values(), v != d.values(), v == [1, 2])
print(k < {'a', 'b', 'c'}, k <= {'a', 'b'}, k > {'a'}, k >= {'b', 'z'}, {'a'} < k, {'a', 'b', 'c'} > k)
print(i <= {('a', 1), ('b', 2), ('c', 3)}, i > {('a', 1)})
for bad in (lambda: k < ['a'], lambda: v < v, lambda: k <= 3):
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)
print('a' in k, 'z' in k, 1 in k, 1 in v, 3 in v, 'a' in v)
print(('a', 1) in i, ('a', 2) in i, ['a', 1] in i, ('a',) in i, 'a' in i, ('z', 1) in i)
print('a' not in k, ('b', 2) not in i, 2 not in v)
n = {1: [1, 2], 2: float('nan')}
print([1, 2] in n.values(), (1, [1, 2]) in n.items(), n[2] in n.values(), (2, n[2]) in n.items())
print(1.0 in {1: 'x'}.keys(), True in {1: 'x'}.keys(), (1.0, 'x') in {1: 'x'}.items())
try:
    [] in k
except TypeError as e:
    print('TypeError:', e)
try:
    print(([], 1) in i)
except TypeError as e:
    print('TypeError:', e)
print(d.keys() == d.keys(), d.items() == d.items(), d.values() == d.values())
print([k] == [{'a', 'b'}], (i,) == ({('a', 1), ('b', 2)},))
