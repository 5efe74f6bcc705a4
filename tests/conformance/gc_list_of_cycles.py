# many small cycles at once
import gc
gc.collect()
class Pair:
    pass
for i in range(10):
    a = Pair()
    b = Pair()
    a.b = b
    b.a = a
del a, b
print(gc.collect())
