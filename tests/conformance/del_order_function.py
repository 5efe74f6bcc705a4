# locals are released in order when the function returns
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)
def f():
    c = D("c")
    a = D("a")
    b = D("b")
    return 0
f()
print("end")
