# seed: reference cycles are only freed by the cycle collector
import gc
gc.collect()
gc.disable()
class Node:
    def __init__(self):
        self.partner = None
x = Node()
y = Node()
x.partner = y
y.partner = x
del x, y
print("unreachable:", gc.collect())
gc.enable()
