# DEBUG_SAVEALL: the unreachable objects go to gc.garbage instead of being freed
import gc


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None


def cycle():
    a, b = Node('a'), Node('b')
    a.other, b.other = b, a


print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
gc.collect()
print(gc.get_debug())
gc.set_debug(gc.DEBUG_SAVEALL)
print(gc.get_debug())
cycle()
n = gc.collect()
print(n, len(gc.garbage))
print(sorted([type(o).__name__ for o in gc.garbage]))
print(sorted([o.name for o in gc.garbage if type(o) is Node]))
gc.set_debug(0)
gc.garbage.clear()
print(gc.garbage)
cycle()
print(gc.collect(), gc.garbage)
