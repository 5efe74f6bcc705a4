a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, a ^ b)
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b))
print(a.issubset({1, 2, 3, 4, 5}), {1}.issuperset(set()), a.isdisjoint({9}))
s = set()
s.add(1)
s.update([2, 3])
s.discard(9)
s.remove(1)
print(s, len(s), 2 in s)
print(sorted(set("mississippi")), frozenset([1, 2]) == {1, 2})
print(set(), {x % 3 for x in range(10)})
print(s.pop() in (2, 3), s.copy())
