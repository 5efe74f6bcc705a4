# The order of __eq__ calls (which stored key is compared with the probe,
# and in what order) follows CPython's probing: colliding hashes make it
# visible.
class K:
    def __init__(self, n, h, v):
        self.n = n
        self.h = h
        self.v = v

    def __eq__(self, other):
        print(f"  {self.n} == {other.n}")
        return self.v == other.v

    def __hash__(self):
        return self.h


keys = [K("a", 0, 1), K("b", 8, 2), K("c", 0, 3), K("d", 16, 4), K("e", 1, 5), K("f", 0, 6)]
print("set build")
s = set(keys)
print("set probes")
for probe in (K("x", 0, 6), K("y", 8, 4), K("z", 0, 99)):
    print(probe.n, probe in s)
print("dict build")
d = {k: k.n for k in keys}
print("dict probes")
for probe in (K("x", 0, 6), K("y", 16, 4), K("z", 0, 99)):
    print(probe.n, d.get(probe))
print("dict delete and reinsert")
del d[K("w", 0, 3)]
d[K("r", 0, 3)] = "r"
print(list(d.values()))
print("set discard and add")
s.discard(K("w", 0, 1))
s.add(K("r", 0, 1))
print(len(s))
print("grow past a resize")
big = {}
for i in range(12):
    big[K(f"k{i}", i % 3, i)] = i
print(big[K("q", 2, 11)])
print("copy, update, clear")
d2 = d.copy()
d3 = {}
d3.update(d)
print(len(d2), len(d3))
d2.clear()
print(len(d2), len(d))
print("update into a dict holding equal keys")
d3.update({K("u", 0, 1): "u", K("v", 8, 2): "v"})
print(d3[K("q", 0, 1)], len(d3))
