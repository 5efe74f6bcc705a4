# a list releases its items from the last to the first
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)

l = [D(1), D(2), D(3)]
del l
print("end")
