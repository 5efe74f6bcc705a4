# The final collection runs even with the collector disabled, and weakref
# callbacks whose weakref is itself garbage do not run.
import gc, weakref
class Node:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalize", self.name)

gc.disable()
def cb(r):
    print("callback")
n1 = Node("n1")
n2 = Node("n2")
n1.peer = n2; n2.peer = n1
r = weakref.ref(n1, cb)
keep = weakref.ref(n2)
print(gc.isenabled(), r() is n1)
