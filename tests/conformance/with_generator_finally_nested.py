# with blocks around yield, inside try/finally, nested with exceptions; super(C, self) in nested functions; kw-only and star-unpacking corners
import gc, sys
class CM:
    def __init__(self, n):
        self.n = n
    def __enter__(self):
        print("enter", self.n)
        return self.n
    def __exit__(self, t, v, tb):
        print("exit", self.n, t.__name__ if t else None)
        return t is KeyError
def gen():
    with CM("g"):
        yield 1
        yield 2
    print("gen end")
for x in gen():
    print("x", x)
g = gen()
next(g)
g.close()
g = gen()
next(g)
try:
    g.throw(KeyError("k"))
except StopIteration:
    print("stopped")
def tf():
    try:
        with CM("t") as n:
            return n
    finally:
        print("finally")
print(tf())
def nested():
    with CM(1) as a:
        with CM(2) as b:
            raise KeyError(a + b)
    print("after nested")
nested()
class Base:
    def prop(self):
        return "prop"
class Child(Base):
    def helper(self):
        def inner():
            return super(Child, self).prop()
        return inner()
    def lam(self):
        f = lambda: super(Child, self).prop()
        return f()
print(Child().helper(), Child().lam())
def kwo(a, *, b, c=3, **rest):
    return a, b, c, rest
print(kwo(1, b=2), kwo(*[1], **{'b': 5, 'z': 6}))
first, *middle, last = range(6)
print(first, middle, last)
(a, b), *c = [(1, 2), 3, 4]
print(a, b, c)
print([(i, j) for i in range(3) for j in range(i) if j for k in [j]])
