# __eq__ results that are not bools count by their truth (PyObject_IsTrue):
# ints, None, strs, containers, objects with __bool__ / __len__.
class T:
    def __init__(self, b):
        self.b = b

    def __bool__(self):
        print("  __bool__", self.b)
        return self.b


class L:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        print("  __len__", self.n)
        return self.n


class R:
    def __init__(self, r):
        self.r = r

    def __eq__(self, other):
        return self.r

    def __hash__(self):
        return 0


for r in (1, 0, -3, None, "", "x", [], [0], (), 0.0, 2.5, T(True), T(False), L(0), L(2)):
    print(type(r).__name__, R(r) in [R(None)], [R(r), R(r)].count(R(None)))
print(len({R(1), R(1), R(1)}), len({R(0), R(0)}))
print({R(T(True)): 1}.get(R(None), "missing"), {R(L(0)): 1}.get(R(None), "missing"))
