# an exhausted generator releases its locals
class D:
    def __del__(self):
        print("D freed")
def g():
    d = D()
    yield 1
for x in g():
    print("value", x)
print("end")
