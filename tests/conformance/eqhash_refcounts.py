# sys.getrefcount of keys and instances after set / dict / list operations
# with a class's own __eq__ / __hash__: the core holds its references only
# during the calls.
import sys


class P:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, P) and self.v == other.v

    def __hash__(self):
        return self.v


a, b, c = P(1), P(2), P(1)
print(sys.getrefcount(a), sys.getrefcount(c))
s = {a, b}
print(sys.getrefcount(a), sys.getrefcount(b))
print(c in s, sys.getrefcount(a), sys.getrefcount(c))
s.add(c)
print(len(s), sys.getrefcount(a), sys.getrefcount(c))
s.discard(c)
print(len(s), sys.getrefcount(a), sys.getrefcount(c))
d = {a: b}
print(sys.getrefcount(a), sys.getrefcount(b))
d[c] = c
print(len(d), sys.getrefcount(a), sys.getrefcount(b), sys.getrefcount(c))
print(d[c] is c, sys.getrefcount(c))
del d[c]
print(len(d), sys.getrefcount(a), sys.getrefcount(c))
lst = [a, b]
print(lst.count(c), lst.index(c), c in lst, sys.getrefcount(a), sys.getrefcount(c))
lst.remove(c)
print(lst == [b], sys.getrefcount(a), sys.getrefcount(b), sys.getrefcount(c))
print([a] == [c], (a,) == (c,), {1: a} == {1: c}, sys.getrefcount(a), sys.getrefcount(c))
del s, d, lst
print(sys.getrefcount(a), sys.getrefcount(b), sys.getrefcount(c))
