# NotImplemented from __eq__: the reflected __eq__ of the other operand,
# then identity; a subclass's reflected method goes first.
class A:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        print(f"  A.__eq__({self.n}, {getattr(other, 'n', other)})")
        return NotImplemented

    def __hash__(self):
        return 7


class B:
    def __init__(self, n, v=1):
        self.n = n
        self.v = v

    def __eq__(self, other):
        print(f"  B.__eq__({self.n}, {getattr(other, 'n', other)})")
        if isinstance(other, (A, B)):
            return True
        return NotImplemented

    def __hash__(self):
        return 7


class C(B):
    def __eq__(self, other):
        print(f"  C.__eq__({self.n}, {getattr(other, 'n', other)})")
        return False


class D(B):
    pass


print("A in [A]")
print(A("x") in [A("a")])
print("A in [A (same object)]")
a = A("a")
print(a in [a])
print("B in [A]")
print(B("b") in [A("a")])
print("A in [B]")
print(A("x") in [B("b")])
print("C in [B]: the subclass first")
print([B("b")].count(C("c")))
print("D in [B]: inherited __eq__, still the subclass first")
print([B("b")].count(D("d")))
print("B in [C]")
print(B("b") in [C("c")])
print("int in [A]")
print(5 in [A("a")])
print("A in [int, str]")
print(A("x") in [5, "s"])
print("set of A")
s = {A("a"), A("b")}
print(len(s), A("x") in s)
print("dict of B")
d = {B("k"): 1}
print(d[A("x")], d[B("y")])
print("direct ==: the subclass first, then the left operand")
print(B("b") == C("c"), C("c") == B("b"), B("b") == D("d"), B("b") != C("c"))
