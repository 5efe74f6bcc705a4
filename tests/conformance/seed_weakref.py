# seed: weak references let the object go when the last strong reference does
import gc
import weakref

class Node:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)

n = Node("a")
r = weakref.ref(n)
print(r() is n)
del n
print(r())
parent = Node("parent")
child = Node("child")
parent.child = child
child.parent = weakref.ref(parent)   # a weak back reference: no cycle
del parent
print(child.parent())
del child
print(gc.collect())
