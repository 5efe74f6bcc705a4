# gc.garbage stays empty: cycles with __del__ are collected since 3.4
import gc
class F:
    def __del__(self):
        pass
gc.collect()
f = F()
f.me = f
del f
print(gc.collect())
print(gc.garbage)
