# deleting the head of a linked list frees the whole chain, in order
class Node:
    def __init__(self, n, nxt):
        self.n = n
        self.nxt = nxt
    def __del__(self):
        print("del", self.n)
head = None
for i in range(4):
    head = Node(i, head)
print("built")
del head
print("end")
