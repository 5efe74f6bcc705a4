# __eq__ / __hash__ that allocate, drop references and run gc.collect()
# while the core is in the middle of a container operation.
import gc


class Node:
    def __init__(self, v):
        self.v = v
        self.me = self      # a cycle: only the collector frees it

    def __eq__(self, other):
        junk = [Node(-1) for _ in range(3)]
        del junk
        gc.collect()
        return isinstance(other, Node) and self.v == other.v

    def __hash__(self):
        gc.collect()
        return self.v % 4


nodes = [Node(i) for i in range(8)]
s = set(nodes)
print(len(s), Node(5) in s, Node(50) in s)
d = {n: n.v for n in nodes}
print(d[Node(6)], d.get(Node(60)))
print(nodes.count(Node(3)), nodes.index(Node(7)))
print(gc.collect() >= 0)

holder = []


class Dropper:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        holder.clear()      # drops the list's references to every item
        return False

    def __hash__(self):
        return 0


holder.extend([Dropper(1), Dropper(2), Dropper(3)])
print(holder.count(Dropper(0)), len(holder))
holder.extend([Dropper(1), Dropper(2)])
print(Dropper(0) in holder, len(holder))
t = {}
t[Dropper(1)] = 1
print(t.get(Dropper(2)), len(t))
