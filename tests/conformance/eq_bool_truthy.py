# PyObject_RichCompareBool in containment of iterators and sequence ordering:
# the same object is equal without __eq__, and any truthy __eq__ result counts.
class Loose:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        print("eq", self.v)
        return 1 if self.v == getattr(other, "v", other) else 0
    def __lt__(self, other):
        print("lt", self.v)
        return self.v < other.v

def gen(*xs):
    yield from xs

nan = float("nan")
print(nan in gen(1, nan), nan in gen(float("nan")))
a = Loose(1)
print(a in gen(Loose(1)), a in gen(a), 2 in gen(Loose(2)))
print([Loose(1), Loose(2)] < [Loose(1), Loose(3)])
print((Loose(1),) <= (Loose(1),))
