# Comparing lists, tuples, dicts and sets whose items have their own __eq__.
class P:
    def __init__(self, n, v):
        self.n = n
        self.v = v

    def __eq__(self, other):
        print(f"  {self.n}.__eq__({other.n})")
        return isinstance(other, P) and self.v == other.v

    def __hash__(self):
        return self.v


print("list ==")
print([P("a", 1), P("b", 2)] == [P("c", 1), P("d", 2)])
print("list == (differs at 0)")
print([P("a", 1), P("b", 2)] == [P("c", 5), P("d", 2)])
print("list !=")
print([P("a", 1)] != [P("c", 1)])
print("lengths differ: no call")
print([P("a", 1)] == [P("c", 1), P("d", 1)])
print("tuple ==")
print((P("a", 1), P("b", 2)) == (P("c", 1), P("d", 3)))
print("tuple lengths differ")
print((P("a", 1),) == (P("c", 1), P("d", 1)))
print("same object: no call")
x = P("x", 1)
print([x, x] == [x, x], (x,) == (x,))
print("nested")
print([[P("a", 1)], (P("b", 2),)] == [[P("c", 1)], (P("d", 2),)])
print("dict ==")
print({P("k", 1): P("v", 10)} == {P("K", 1): P("V", 10)})
print({"a": P("v", 1)} == {"a": P("w", 2)})
print("dict !=")
print({"a": P("v", 1)} != {"a": P("w", 1)})
print("set ==")
print({P("a", 1), P("b", 2)} == {P("c", 2), P("d", 1)})
