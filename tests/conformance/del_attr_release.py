# an instance releases its attributes after __del__ ran
class D:
    def __init__(self, n, child=None):
        self.n = n
        self.child = child
    def __del__(self):
        print("del", self.n)
x = D(1, D(2, D(3)))
del x
print("end")
