# generators hold their locals while suspended
import sys
class D:
    def __del__(self):
        print("D freed")
def g():
    d = D()
    yield 1
    yield 2
it = g()
print(next(it))
print("suspended")
del it
print("end")
