# gc.get_referents / gc.get_referrers: what tp_traverse visits, in order
import gc


class Box:
    def __init__(self, v):
        self.v = v


def names(objs):
    return [type(o).__name__ for o in objs]


x = Box(1)
y = [x, 'a', 2, x]
t = (y, x)
d = {'k': x, 'j': y}
d2 = {1: x, (1, 2): 'v'}
print(names(gc.get_referents(y)))
print(gc.get_referents(y)[0] is x, len(gc.get_referents(y)))
print(names(gc.get_referents(t)))
print(names(gc.get_referents(d)))
print(names(gc.get_referents(d2)))
print(names(gc.get_referents(y, t)))
print(gc.get_referents(1, 'a', None))
print(gc.get_referents())
refs = gc.get_referrers(x)
print(len([r for r in refs if r is y]), len([r for r in refs if r is t]), len([r for r in refs if r is d]))
print(y in gc.get_referrers(x), t in gc.get_referrers(y), d2 in gc.get_referrers(x))
print(gc.get_referrers())
lonely = [Box(2)]
print(names(gc.get_referrers(lonely[0])))
