# tracemalloc tracebacks: start(5) records every frame; statistics by
# 'traceback', cumulative 'lineno' and 'filename', Traceback.format(),
# get_object_traceback. Paths are shortened (CPython prints absolute ones).
import tracemalloc


def short(text):
    parts = text.split('"')
    if len(parts) == 3:
        parts[1] = parts[1].split('/')[-1]
        return '"'.join(parts)
    return text.split('/')[-1]


class Record:
    def __init__(self, name):
        self.name = name


def make_text(n):
    return 'x' * n


def make_records(n):
    out = [None] * n
    for i in range(n):
        out[i] = Record(i)
    return out


def build():
    text = make_text(30000)
    records = make_records(40)
    return text, records


warm = [[] for _ in range(100)], [(i, i) for i in range(100)], [{} for _ in range(100)]
del warm
kept = None
tracemalloc.start(5)
kept = build()
snapshot = tracemalloc.take_snapshot()
tracemalloc.stop()
mine = snapshot.filter_traces([tracemalloc.Filter(True, '*tracemalloc_traceback.py', all_frames=True)])
print('--- traceback')
for stat in mine.statistics('traceback'):
    if stat.size > 1000:
        print(short(str(stat)))
        print(len(stat.traceback), stat.traceback.total_nframe)
        for line in stat.traceback.format():
            print(short(line))
        for line in stat.traceback.format(limit=1, most_recent_first=True):
            print(short(line))
print('--- lineno cumulative')
for stat in mine.statistics('lineno', cumulative=True):
    if stat.size > 1000:
        print(short(str(stat)))
print('--- filename')
stat = mine.statistics('filename')[0]
print(short(str(stat)), stat.traceback[0].lineno)
tb = tracemalloc.get_object_traceback(kept[0])
print(tb is None)
