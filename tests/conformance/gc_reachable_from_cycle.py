# objects hanging off a cycle are freed with it
import gc
gc.collect()
class N:
    pass
a = N()
a.me = a
a.data = [1, 2, 3]
a.more = {"x": [4]}
del a
print(gc.collect())
