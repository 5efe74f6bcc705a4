# allocations of tracked objects raise the generation-0 count
import gc
gc.collect()
before = gc.get_count()
keep = [[] for _ in range(10)]
after = gc.get_count()
print(before[0], after[0] - before[0] >= 10)
