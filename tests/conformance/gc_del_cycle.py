# two __del__ instances in a cycle: both finalized, collected, gc.garbage empty
import gc

class C:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)

gc.collect()
a = C("a")
b = C("b")
a.other = b
b.other = a
del a, b
print(gc.collect())
print(gc.garbage)
