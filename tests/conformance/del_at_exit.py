# objects still bound at exit are finalized when the module is cleared
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)

a = D(1)
b = D(2)
print("end")
