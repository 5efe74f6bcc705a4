# replacing a list item frees the old one
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)
l = [D(1), D(2)]
l[0] = D(3)
print("replaced")
l.pop()
print("popped")
del l
