# gc.get_stats(): per-generation collections / collected / uncollectable,
# printed as differences (CPython's start-up collections are not modelled)
import gc


class Node:
    def __init__(self):
        self.other = None


def make_cycles(n):
    for i in range(n):
        a, b = Node(), Node()
        a.other, b.other = b, a


gc.collect()
before = gc.get_stats()
print(type(before).__name__, len(before), [sorted(d) for d in before])
make_cycles(3)
n2 = gc.collect()
make_cycles(2)
n0 = gc.collect(0)
n1 = gc.collect(1)
after = gc.get_stats()
print(n2, n0, n1)
for g in range(3):
    print(g, [after[g][k] - before[g][k] for k in ('collections', 'collected', 'uncollectable')])
