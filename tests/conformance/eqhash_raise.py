# An exception raised in __eq__ / __hash__ during a container operation
# propagates unchanged: same object, traceback through the method, chaining.
class Boom(Exception):
    pass


class E:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        raise Boom(f"eq {self.n}")

    def __hash__(self):
        return 1


class BadHash:
    def __hash__(self):
        raise ValueError("no hash")


saved = []
for op in ("in", "count", "index", "remove", "set", "dict", "list==", "tuple==", "dict=="):
    try:
        if op == "in":
            E("a") in [E("b")]
        elif op == "count":
            [E("b")].count(E("a"))
        elif op == "index":
            [1, E("b")].index(E("a"))
        elif op == "remove":
            [E("b")].remove(E("a"))
        elif op == "set":
            {E("b"), E("c")}
        elif op == "dict":
            {E("b"): 1}[E("a")]
        elif op == "list==":
            [E("b")] == [E("a")]
        elif op == "tuple==":
            (E("b"),) == (E("a"),)
        else:
            {1: E("b")} == {1: E("a")}
    except Boom as e:
        saved.append(e)
        print(op, type(e).__name__, e, e.__context__)
for op in ("set", "dict", "hash"):
    try:
        if op == "set":
            {BadHash()}
        elif op == "dict":
            {BadHash(): 1}
        else:
            hash(BadHash())
    except ValueError as e:
        print(op, type(e).__name__, e)
# context: raised while another exception is being handled
try:
    try:
        raise KeyError("first")
    except KeyError:
        E("x") in [E("y")]
except Boom as e:
    print("context:", repr(e.__context__))


class Wrap:
    def __eq__(self, other):
        try:
            return 1 / 0
        except ZeroDivisionError as z:
            raise RuntimeError("wrapped") from z

    def __hash__(self):
        return 0


try:
    Wrap() in [Wrap()]
except RuntimeError as e:
    print("cause:", repr(e.__cause__))
# uncaught: the traceback goes through __eq__
d = {E("k"): 1}
print(d.get(E("q")))
