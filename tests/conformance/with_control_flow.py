# with blocks mixed with try/finally, continue/break/return, generators and suppression
class CM:
    def __init__(self, n, swallow=False):
        self.n, self.swallow = n, swallow
    def __enter__(self):
        print(" enter", self.n)
        return self
    def __exit__(self, t, v, tb):
        print(" exit", self.n, None if t is None else t.__name__)
        return self.swallow
def f(k):
    for i in range(3):
        try:
            with CM(f"{k}{i}", swallow=(i == 1)) as c:
                if i == 0:
                    continue
                if i == 1:
                    raise ValueError(i)
                try:
                    with CM("in"):
                        return i * 10
                finally:
                    print(" finally", i)
        except ValueError:
            print(" never")
        finally:
            print(" outer finally", i)
    return -1
print(f("a"))
def g():
    with CM("g1"):
        try:
            yield 1
        finally:
            print(" g finally")
        with CM("g2") as c:
            yield c.n
for v in g():
    print("v", v)
def h():
    while True:
        with CM("h"):
            break
    with CM("h2", swallow=True):
        with CM("h3", swallow=False):
            raise KeyError
        print(" not reached")
    return "h done"
print(h())
with CM("last") as c:
    print(c.n)
