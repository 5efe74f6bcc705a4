# weakref.WeakSet: members go when they die
import weakref


class Obj:
    def __init__(self, n):
        self.n = n


s = weakref.WeakSet()
a, b = Obj(1), Obj(2)
s.add(a)
s.add(b)
s.add(a)
print(len(s), a in s, 3 in s, sorted([o.n for o in s]))
del a
print(len(s), [o.n for o in s])
s.discard(b)
print(len(s))
c = Obj(3)
t = weakref.WeakSet([b, c])
print(len(t), weakref.WeakSet.__name__)
t.remove(c)
print(len(t))
try:
    t.remove(c)
except KeyError:
    print('KeyError')
print(t.pop() is b, len(t))
