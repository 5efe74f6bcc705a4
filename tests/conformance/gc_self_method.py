# an instance holding its own bound method is a cycle
import gc
gc.collect()
class C:
    def m(self):
        pass
c = C()
c.cb = c.m
del c
print(gc.collect())
