# Sequence ordering compares items with PyObject_RichCompareBool, which takes
# the same object as equal without calling __eq__ (so nan equals itself there).
nan = float("nan")
print([nan] < [nan], [nan] <= [nan], (nan,) >= (nan,), (nan, 1) < (nan, 2))
print([nan] == [nan], (nan,) != (nan,))


class Loud:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        print("eq", self.name, other.name)
        return self.name == other.name

    def __lt__(self, other):
        print("lt", self.name, other.name)
        return self.name < other.name


a, b = Loud("a"), Loud("b")
print([a, a] < [a, b])
print((a,) <= (a,))
print([a, 1] < [Loud("a"), 2])
print(sorted([[b, 1], [a, 2], [a, 1]], key=lambda p: p[1])[0][1])
