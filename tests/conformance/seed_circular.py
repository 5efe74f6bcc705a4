# seed: "Example 3: Circular References" — the collector frees the pair
import gc

class A:
    def __init__(self):
        self.ref = None

gc.collect()  # flush start-up garbage first (its amount depends on the interpreter)

a1 = A()
a2 = A()
a1.ref = a2
a2.ref = a1

del a1
del a2

print(gc.collect())  # Garbage collector handles circular reference
