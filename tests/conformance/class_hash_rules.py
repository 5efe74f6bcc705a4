# type_new's __hash__ rules and hash() calling a class's own __hash__
class H:
    def __hash__(self):
        return 42
class M:
    def __hash__(self):
        return -1
class Big:
    def __hash__(self):
        return 2 ** 70
class E:
    def __eq__(self, other):
        return True
class N:
    __hash__ = None
class Sub(E):
    pass
print(hash(H()), hash(M()), hash(Big()))
for cls in (E, N, Sub):
    try:
        hash(cls())
    except TypeError as e:
        print(cls.__name__, e)
    try:
        {cls()}
    except TypeError as e:
        print(cls.__name__, e)
e = E()
print(e == E(), e != E(), e == e)
class Plain:
    pass
p = Plain()
print(hash(p) == hash(p), p in [p], [p].count(p))
