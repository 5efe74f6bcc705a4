# seed: tracemalloc around some allocations (figures of deterministic allocations)
import tracemalloc

tracemalloc.start()
data = [[] for _ in range(100)]
current, peak = tracemalloc.get_traced_memory()
print(current > 0, peak >= current)
del data
tracemalloc.stop()
print(tracemalloc.is_tracing())
