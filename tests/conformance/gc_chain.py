# a cycle keeps a chain of objects alive until the collector runs
import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.next = None

gc.collect()
first = Node("a")
cur = first
for name in ["b", "c", "d"]:
    n = Node(name)
    cur.next = n
    cur = n
cur.next = first
del first, cur, n
print(gc.collect())
