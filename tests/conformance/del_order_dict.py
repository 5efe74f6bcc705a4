# a dict releases its values in insertion order
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)

d = {"a": D(1), "b": D(2), "c": D(3)}
del d
t = (D(4), D(5))
del t
print("end")
