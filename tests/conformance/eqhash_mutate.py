# __eq__ that mutates the dict or set being searched: 3.12's lookup sees
# the table changed and restarts (no "changed size during iteration").
class K:
    def __init__(self, n, target=None, action=None):
        self.n = n
        self.target = target
        self.action = action

    def __eq__(self, other):
        print(f"  {self.n}.__eq__({getattr(other, 'n', other)})")
        if not isinstance(other, K):
            return NotImplemented
        if self.action is not None:
            act = self.action
            self.action = None
            act(self.target)
        return self.n[0] == other.n[0]

    def __hash__(self):
        return 0


def clear(c):
    if isinstance(c, set):
        for k in list(c):
            c.discard(k)
    else:
        c.clear()


def grow(d):
    for i in range(20):
        d[i] = i


d = {}
d[K("a1", d, clear)] = 1
print(d.get(K("a2")), len(d))

d = {}
d[K("b1", d, grow)] = "found"
print(d.get(K("b2")), len(d))

d = {}
d[K("c1", d, lambda t: t.pop(0))] = "c"
d[0] = "zero"
print(d.get(K("c2")), len(d))

s = set()
s.add(K("s1", s, clear))
print(K("s2") in s, len(s))

s = set()
s.add(K("t1", s, lambda t: t.add(99)))
print(K("t2") in s, len(s))

d = {}
d[K("u1", d, clear)] = 1
d[K("u2")] = 2
print(len(d), [k.n for k in d])

# a list mutated by __eq__ during count / in
lst = []
lst.extend([K("x1", lst, clear), K("x2"), K("x3")])
print(lst.count(K("y")), len(lst))
lst = []
lst.extend([K("p1", lst, lambda t: t.append(K("p9"))), K("q1")])
print(K("p0") in lst, K("z") in lst, len(lst))
