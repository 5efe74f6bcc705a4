# Iterators are GC-tracked objects (range iterators are not): they take part
# in cycles, count as allocations, and getsizeof/gc.is_tracked match 3.12.
import gc
import sys

gc.collect()
l = []
it = iter(l)
l.append(it)
del l, it
print(gc.collect())

for make in (lambda: iter([]), lambda: iter(()), lambda: iter(''), lambda: iter(range(3)),
             lambda: iter({}), lambda: iter(set()), lambda: enumerate([]), lambda: zip(),
             lambda: map(abs, []), lambda: filter(None, []), lambda: reversed([]), lambda: reversed(())):
    it = make()
    print(type(it).__name__, sys.getsizeof(it), gc.is_tracked(it))

gc.collect()
before = gc.get_count()[0]
its = [iter([]) for _ in range(5)]
after = gc.get_count()[0]
print(after - before)
del its


class Node:
    def __init__(self):
        self.it = iter([self])


n = Node()
del n
print(gc.collect())
e = enumerate([1])
print(gc.is_tracked(e), gc.is_tracked(iter(range(2**70, 2**70 + 1))))
