# seed: objects in a cycle with __del__ are finalized by gc.collect()
import gc
class Node:
    def __init__(self, value):
        self.value = value
        self.ref = None
    def __del__(self):
        print("Deleting node", self.value)
gc.collect()
n1 = Node(1)
n2 = Node(2)
n1.ref = n2
n2.ref = n1
del n1
del n2
print("before collect")
print(gc.collect())
print("after collect")
