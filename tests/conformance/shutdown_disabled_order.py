# With the collector disabled, Py_FinalizeEx's first collection does not
# run: the final collection finalizes in allocation order.
import gc
class A:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)

b = A(1)
x = [A(6)]
_private = A(7)
z = A(8)
gc.disable()
