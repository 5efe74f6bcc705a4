# tracemalloc's module functions: start/stop, limits, errors, traced memory
import tracemalloc

print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print('RuntimeError:', e)
for bad in (0, -1, 65536):
    try:
        tracemalloc.start(bad)
    except ValueError as e:
        print('ValueError:', e)
print(tracemalloc.is_tracing())
tracemalloc.start(3)
tracemalloc.start(7)
print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())


def grow(n):
    block = [None] * n
    return len(block)


before = tracemalloc.get_traced_memory()[0]
grow(10000)
current, peak = tracemalloc.get_traced_memory()
print(peak - before >= 80000, current - before < 1000)
tracemalloc.reset_peak()
current, peak = tracemalloc.get_traced_memory()
print(peak == current)
print(tracemalloc.get_tracemalloc_memory() > 0)
tracemalloc.clear_traces()
print(tracemalloc.is_tracing())
snapshot = tracemalloc.take_snapshot()
print(type(snapshot).__name__, snapshot.traceback_limit)
try:
    snapshot.statistics('line')
except ValueError as e:
    print('ValueError:', e)
try:
    snapshot.statistics('traceback', cumulative=True)
except ValueError as e:
    print('ValueError:', e)
tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory(), tracemalloc.get_traceback_limit())
print(tracemalloc.get_object_traceback([]))
