# a temporary dies right after the statement uses it
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)
    def value(self):
        return self.n
print(D(1).value())
print("next")
x = D(2).value() + D(3).value()
print(x)
