# gc.DEBUG_COLLECTABLE (and DEBUG_LEAK = COLLECTABLE | UNCOLLECTABLE | SAVEALL)
import gc


class Node:
    def __init__(self):
        self.other = None


class Fin:
    def __init__(self):
        self.me = self

    def __del__(self):
        print('Fin.__del__')


def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a


gc.collect()
gc.set_debug(gc.DEBUG_COLLECTABLE)
cycle()
print('collect ->', gc.collect())
Fin()
print('collect ->', gc.collect())
gc.set_debug(gc.DEBUG_LEAK)
cycle()
print('collect ->', gc.collect(), len(gc.garbage))
gc.set_debug(0)
gc.garbage.clear()
print('collect ->', gc.collect())
