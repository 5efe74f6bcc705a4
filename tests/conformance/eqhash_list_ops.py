# x in list, list.index / count / remove, tuple in / index / count with a
# class's own __eq__ (instances equal by value, never identical).
class V:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, V) and self.v == other.v

    __hash__ = None

    def __repr__(self):
        return f"V({self.v})"


lst = [V(1), V(2), V(3), V(2)]
print(V(2) in lst, V(5) in lst, V(5) not in lst)
print(lst.index(V(2)), lst.index(V(2), 2), lst.index(V(3), -3, -1))
print(lst.count(V(2)), lst.count(V(9)), lst.count(2))
lst.remove(V(2))
print(lst)
try:
    lst.remove(V(9))
except ValueError as e:
    print("ValueError", e)
try:
    lst.index(V(9))
except ValueError as e:
    print("ValueError", e)
t = (V(1), V(2), V(2))
print(V(2) in t, V(4) in t, t.index(V(2)), t.count(V(2)))
print([V(1), 1, "a"].count(V(1)), V(1) in [1, "a", None])
# unhashable: __hash__ = None
try:
    {V(1)}
except TypeError as e:
    print("TypeError", e)
try:
    hash(V(1))
except TypeError as e:
    print("TypeError", e)
