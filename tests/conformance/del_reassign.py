# rebinding a name releases the old object after the new one is stored
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)

x = D(1)
x = D(2)
print("rebound")
x = None
print("end")
