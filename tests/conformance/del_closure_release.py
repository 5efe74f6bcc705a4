# a closure keeps its cell contents alive
class D:
    def __del__(self):
        print("D freed")
def make():
    d = D()
    def use():
        return d
    return use
f = make()
print("have closure")
del f
print("end")
