# tracemalloc snapshots around deterministic allocations: statistics('lineno'),
# compare_to (growth, shrink, unchanged), Filter / DomainFilter, str and repr
# formats. Only this file's lines are printed, with the directory removed.
import tracemalloc


class Node:
    def __init__(self, value):
        self.value = value


def nodes(n):
    out = []
    for i in range(n):
        out.append(Node(i))
    return out


def text(n):
    return 'ab' * n


def short(stat):
    return str(stat).split('/')[-1]


warm = [[] for _ in range(100)], [(i, i) for i in range(100)], [{} for _ in range(100)]
del warm
first = second = third = None
tracemalloc.start()
first = nodes(30)
second = text(6000)
snap1 = tracemalloc.take_snapshot()
third = text(50000)
first = None
snap2 = tracemalloc.take_snapshot()
tracemalloc.stop()

mine = [tracemalloc.Filter(True, '*tracemalloc_compare.py')]
old, new = snap1.filter_traces(mine), snap2.filter_traces(mine)
print('--- statistics')
for stat in new.statistics('lineno'):
    if stat.traceback[0].lineno < 25:
        print(short(stat))
print('--- compare_to')
for stat in new.compare_to(old, 'lineno'):
    if stat.traceback[0].lineno < 25:
        print(short(stat))
        print(stat.size, stat.size_diff, stat.count, stat.count_diff)
print('--- filters')
only20 = new.filter_traces([tracemalloc.Filter(True, '*tracemalloc_compare.py', 20)])
print(len(only20.traces), [short(s) for s in only20.statistics('lineno')])
no20 = new.filter_traces([tracemalloc.Filter(False, '*compare.py', 20)])
print(20 in [s.traceback[0].lineno for s in no20.statistics('lineno')])
print(len(new.filter_traces([tracemalloc.DomainFilter(False, 0)]).traces))
print(len(new.filter_traces([tracemalloc.DomainFilter(True, 0)]).traces) == len(new.traces))
print(len(new.filter_traces([]).traces) == len(new.traces))
f = tracemalloc.Filter(True, 'mod.pyc', all_frames=True)
print(f.inclusive, f.filename_pattern, f.lineno, f.all_frames, f.domain)
d = tracemalloc.DomainFilter(False, 3)
print(d.inclusive, d.domain)
print('--- objects')
big = [s for s in new.statistics('lineno') if s.traceback[0].lineno == 20][0]
name = big.traceback[0].filename
print(repr(big).replace(name, 'FILE'))
print(repr(big.traceback).replace(name, 'FILE'))
print(big.size, big.count, len(big.traceback))
frame = big.traceback[0]
print(frame.filename.split('/')[-1], frame.lineno, short(str(frame)))
trace = None
for t in new.traces:
    if t.traceback[0].lineno == 20 and (trace is None or t.size > trace.size):
        trace = t
print(short(trace), trace.size, trace.domain)
print(repr(trace).replace(name, 'FILE'))
diff = [s for s in new.compare_to(old, 'lineno') if s.traceback[0].lineno == 20][0]
print(repr(diff).replace(name, 'FILE'))
