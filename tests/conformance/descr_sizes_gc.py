# property, classmethod and staticmethod objects as containers: sizes,
# tracking, referents, and cycles through them collected by gc.
import gc
import sys


def f(self):
    "f doc"
    return 1


p = property(f)
s = staticmethod(f)
c = classmethod(f)
print(sys.getsizeof(p), sys.getsizeof(s), sys.getsizeof(c))
print(gc.is_tracked(p), gc.is_tracked(s), gc.is_tracked(c))
print(len(gc.get_referents(p)), len(gc.get_referents(s)), len(gc.get_referents(property())))
print(p.__doc__, s.__doc__, sorted(c.__dict__))
print(sys.getsizeof(s.__dict__), s.__dict__ is s.__dict__)
gc.collect()
holder = []
q = property(f, None, None, holder)
holder.append(q)
del holder, q
print(gc.collect())
sm = staticmethod(f)
sm.__dict__['me'] = sm
del sm
print(gc.collect())


class Node:
    def __init__(self):
        self.other = None

    @property
    def peer(self):
        return self.other

    @peer.setter
    def peer(self, v):
        self.other = v


a, b = Node(), Node()
a.peer = b
b.peer = a
print(a.peer is b, b.peer.peer is b)
del a, b
print(gc.collect())
