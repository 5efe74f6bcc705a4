# seed: the gc module calls of the tutorial, with deterministic output only
import gc

gc.enable()
print(gc.isenabled())
gc.collect()                       # flush start-up garbage
n = gc.collect()                   # nothing left
count = gc.get_count()             # read before printing (reference §9.2)
print(n)
print(count)
print(gc.get_threshold())
unreachable_objects = gc.garbage
print("Unreachable objects:", unreachable_objects)
gc.disable()
print(gc.isenabled())
gc.enable()
