# overwriting a dict value frees the old value
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)
d = {"k": D(1)}
d["k"] = D(2)
print("overwritten")
del d["k"]
print("deleted")
