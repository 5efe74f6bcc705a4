# seed-style: a cache of weak references that empties as objects die
import weakref
class Item:
    def __init__(self, name):
        self.name = name
cache = {}
a = Item("a")
b = Item("b")
cache["a"] = weakref.ref(a)
cache["b"] = weakref.ref(b)
del a
print(sorted(k for k, r in cache.items() if r() is not None))
del b
print(sorted(k for k, r in cache.items() if r() is not None))
