# gc.collect() called while a collection runs (from a finalizer) returns 0
import gc


class D:
    def __init__(self):
        self.me = self

    def __del__(self):
        print('__del__: gc.collect() ->', gc.collect())


gc.collect()
D()
print('collected', gc.collect())
try:
    gc.collect(3)
except ValueError as e:
    print('ValueError:', e)
try:
    gc.collect('x')
except TypeError as e:
    print('TypeError:', e)
try:
    gc.collect(1, 2)
except TypeError as e:
    print('TypeError:', e)
print(gc.collect(generation=2))
