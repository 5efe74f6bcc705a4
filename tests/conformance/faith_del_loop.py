import sys
class Node:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)
nodes = [Node(f"n{i}") for i in range(4)]
for i in range(len(nodes) - 1, -1, -1):
    if i % 2 == 0:
        del nodes[i]
print([n.name for n in nodes])
while nodes:
    del nodes[0]
print("empty", nodes)
x = Node("x")
print(sys.getrefcount(x))
y = x
print(sys.getrefcount(x))
del y
print(sys.getrefcount(x))
del x
print("end")
