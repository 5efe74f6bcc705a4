# an automatic collection frees cycles once gen 0 passes its threshold
import gc
class C:
    pass
gc.collect()
gc.set_threshold(10, 10, 10)
for i in range(50):
    c = C()
    c.me = c
del c
n = gc.collect()
print(n < 50)
gc.set_threshold(700, 10, 10)
