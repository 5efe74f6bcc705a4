# with statements: __enter__/__exit__, 'as', several items, suppression, return/break/continue inside
import sys
class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type, exc)
        return self.suppress

with CM("a") as a:
    print("body", a.name)
with CM("b", True):
    raise ValueError("boom")
print("after b")
with CM("c") as c, CM("d") as d:
    print(c.name, d.name)
def f():
    with CM("e"):
        return 5
print(f())
for i in range(3):
    with CM(i):
        if i == 1:
            continue
        if i == 2:
            break
        print("loop", i)
try:
    with CM("f"):
        raise KeyError("k")
except KeyError as e:
    print("caught", repr(e))
with CM("outer", True):
    with CM("inner"):
        1/0
print("done")
