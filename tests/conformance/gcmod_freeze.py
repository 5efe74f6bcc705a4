# gc.freeze / unfreeze / get_freeze_count and gc.is_finalized
import gc


class D:
    def __init__(self):
        self.me = self

    def __del__(self):
        print('__del__', gc.is_finalized(self))
        global saved
        saved = self


gc.collect()
keep = [[] for i in range(5)]
gc.freeze()
n = gc.get_freeze_count()
count = gc.get_count()
sizes = len(gc.get_objects(0)), len(gc.get_objects(1)), len(gc.get_objects(2))
print(n > 5, count)
print(sizes)
gc.unfreeze()
print(gc.get_freeze_count())
print(len(gc.get_objects(2)) >= n)
d = D()
print(gc.is_finalized(d))
del d
print(gc.collect())
print(gc.is_finalized(saved))
saved = None
print(gc.collect())
