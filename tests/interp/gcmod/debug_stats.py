# gc.set_debug(gc.DEBUG_STATS): the collector's statistics on stderr
import gc


class Node:
    def __init__(self):
        self.other = None


gc.collect()
gc.set_debug(gc.DEBUG_STATS)
a, b = Node(), Node()
a.other, b.other = b, a
del a, b
print('collect ->', gc.collect())
print('before gen 0')
print('collect(0) ->', gc.collect(0))
gc.set_debug(0)
print('collect ->', gc.collect())
