# finalizers of a cycle run in collection order
import gc
class N:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
gc.collect()
a = N("a")
b = N("b")
c = N("c")
a.next = b
b.next = c
c.next = a
del a, b, c
print("collected", gc.collect())
