# The reference's tracemalloc demo (cpython-memory-model.md §7.3): 10,000
# strings made on line 8 called from line 12, tracebacks of 5 frames;
# statistics by line, file and traceback, and a comparison of snapshots.
import tracemalloc


def make(n):
    return [str(i) * 10 for i in range(n)]


def short(text):
    parts = text.split('"')
    if len(parts) == 3:
        parts[1] = parts[1].split('/')[-1]
        return '"'.join(parts)
    return text.split('/')[-1]


warm = [[] for _ in range(100)], [(i, i) for i in range(100)], [{} for _ in range(100)]
del warm
data = None
tracemalloc.start(5)
snap1 = tracemalloc.take_snapshot()
data = make(10000)
snap2 = tracemalloc.take_snapshot()
mine = [tracemalloc.Filter(True, '*tracemalloc_demo.py')]
snap1, snap2 = snap1.filter_traces(mine), snap2.filter_traces(mine)
print("--- snapshot.statistics('lineno')[:1]")
for stat in snap2.statistics('lineno')[:1]:
    print(short(str(stat)))
print("--- statistics('traceback')[0] and its format()")
stat = snap2.statistics('traceback')[0]
print(short(str(stat)))
for line in stat.traceback.format():
    print(short(line))
print("--- snap2.compare_to(snap1, 'lineno')[:1]")
for stat in snap2.compare_to(snap1, 'lineno')[:1]:
    print(short(str(stat)))
print("--- get_object_traceback(data[0])")
print(short(str(tracemalloc.get_object_traceback(data[0]))))
tracemalloc.stop()
