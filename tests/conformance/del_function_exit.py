# locals die when the function returns
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)

def f():
    a = D(1)
    b = D(2)
    print("in f")

f()
print("after f")
def g():
    return D(3)
g()
print("after g")
r = g()
print("kept")
del r
