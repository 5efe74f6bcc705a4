import sys
a = {1, 2, 3}
print(a.union([3, 4], (5,)), a.intersection(range(2, 10)), a.difference({1}), a.symmetric_difference([3, 9]))
print(a.issubset(range(5)), a.issuperset([1]), a.isdisjoint("xyz"), a.copy() == a, a.copy() is a)
a.update([7, 8])
a.difference_update({7})
a.intersection_update(range(0, 9))
print(sorted(a))
fs = frozenset([1, 2])
print(fs | {3}, fs & {2}, type(fs | {3}).__name__, {1, 2} <= fs, {1} < fs, fs > {1, 2})
s = {10}
s |= {11}
s &= {11, 12}
s -= set()
s ^= {13}
print(sorted(s))
print(sys.getsizeof(set(range(10))), sys.getsizeof({1, 2} | {3, 4, 5, 6, 7}))
e = set()
try:
    e.pop()
except KeyError as k:
    print("KeyError", k)
