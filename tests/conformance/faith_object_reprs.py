import sys
def r(o):
    return repr(o).split(" at 0x")[0]
def gen():
    yield 1
class C:
    def m(self):
        pass
objs = [iter([1]), iter(()), iter(""), iter({}), iter(set()), iter(range(3)), map(str, []), zip(), enumerate([]),
        reversed([]), filter(None, []), gen(), C().m, C.m, gen, lambda: 0, len, [].append, C, C(), type(C()), object(),
        sys, NotImplemented, Ellipsis, None, range(3), range(0, 10, 2), {}.keys if False else 0, slice if False else 0,
        (lambda: 0).__code__, 1 .__class__, ValueError("x"), ValueError, 3.0, -0.0, "a'b", b"a'b\"", [1, [2, (3,)]], {"k": {1}}, frozenset()]
for o in objs:
    print(type(o).__name__, r(o))
