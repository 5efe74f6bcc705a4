# tracemalloc's grouping, sorting, cumulative mode, compare_to, filters and
# Traceback.format as properties of one program's traces (sizes are
# compared with each other, not printed). Strings are built from a variable
# length so the compiler does not fold them into constants.
import tracemalloc


def inner(n):
    return 'x' * n


def middle(n):
    return inner(n)


def recurse(k, n):
    if k:
        return recurse(k - 1, n)
    return 'y' * n


def many(n):
    return ['a' * n for i in range(30)]


def gen(n):
    yield 'g' * n
    yield 'h' * (2 * n)


def last(text):
    parts = text.split('"')
    if len(parts) == 3:
        parts[1] = parts[1].split('/')[-1]
        return '"'.join(parts)
    return text.split('/')[-1]


print('--- tracebacks')
tracemalloc.start(10)
data = middle(5000)
tb = tracemalloc.get_object_traceback(data)
print(len(tb), [f.lineno for f in tb], last(tb[0].filename), tb[-1].lineno, last(str(tb)))
for line in tb.format():
    print(last(line))
print([last(x) for x in tb.format(limit=1)], last(tb.format(limit=-1)[0]), last(tb.format(most_recent_first=True)[0]))
g = gen(3000)
x = next(g)
y = next(g)
print([f.lineno for f in tracemalloc.get_object_traceback(x)], [f.lineno for f in tracemalloc.get_object_traceback(y)])
tracemalloc.stop()

print('--- limit 2')
tracemalloc.start(2)
deep = recurse(3, 3000)
tb = tracemalloc.get_object_traceback(deep)
print(len(tb), [f.lineno for f in tb])
s = tracemalloc.take_snapshot()
big = [t for t in s.traces if t.size > 3000]
print(len(big), big[0].traceback.total_nframe, [f.lineno for f in big[0].traceback])
tracemalloc.stop()

print('--- statistics')
tracemalloc.start(4)
keep = many(200), inner(9000), many(300)
s = tracemalloc.take_snapshot()
tracemalloc.stop()
s = s.filter_traces([tracemalloc.Filter(True, '*tracemalloc_props.py', all_frames=True)])
total = 0
for t in s.traces:
    total = total + t.size
for key in ('lineno', 'filename', 'traceback'):
    stats = s.statistics(key)
    sizes = [st.size for st in stats]
    print(key, sum(sizes) == total, sizes == sorted(sizes, reverse=True), sum([st.count for st in stats]) == len(s.traces))
cum = s.statistics('lineno', cumulative=True)
plain = s.statistics('lineno')
print(sum([st.count for st in cum]) > sum([st.count for st in plain]))
line23 = [st for st in cum if st.traceback[0].lineno == 23][0]
line65 = [st for st in cum if st.traceback[0].lineno == 65][0]
print(line65.size > line23.size, line23.count)
print(s.statistics('filename')[0].traceback[0].lineno, s.statistics('filename', cumulative=True)[0].count > len(s.traces))

print('--- compare_to')
tracemalloc.start()
s1 = tracemalloc.take_snapshot()
print(all([d.size_diff == 0 and d.count_diff == 0 for d in s1.compare_to(s1, 'lineno')]))
x = inner(20000)
s2 = tracemalloc.take_snapshot()
x = None
s3 = tracemalloc.take_snapshot()
tracemalloc.stop()
up = [d for d in s2.compare_to(s1, 'lineno') if d.traceback[0].lineno == 9][0]
down = [d for d in s3.compare_to(s2, 'lineno') if d.traceback[0].lineno == 9][0]
print(up.size == up.size_diff, up.size > 20000, up.count_diff)
print(down.size, down.size_diff == -up.size, down.count, down.count_diff)

print('--- filters')
tracemalloc.start(3)
k = middle(7000)
s = tracemalloc.take_snapshot()
tracemalloc.stop()
s = s.filter_traces([tracemalloc.Filter(True, '*tracemalloc_props.py', all_frames=True)])
n = len(s.traces)
name = s.traces[0].traceback[-1].filename
print(len(s.filter_traces([tracemalloc.Filter(True, name)]).traces) == n)
print(len(s.filter_traces([tracemalloc.Filter(False, name)]).traces))
only = s.filter_traces([tracemalloc.Filter(True, name, 9)])
print([t.traceback[-1].lineno for t in only.traces], [t.traceback[0].lineno for t in only.traces])
print(len(s.filter_traces([tracemalloc.Filter(True, name, 100)]).traces))
print(len(s.filter_traces([tracemalloc.Filter(True, name, 100, all_frames=True)]).traces))
print(len(s.filter_traces([tracemalloc.Filter(True, '*.py', domain=1)]).traces))
print(len(s.filter_traces([tracemalloc.DomainFilter(True, 0), tracemalloc.Filter(False, name, 9)]).traces) == n - 1)
try:
    s.filter_traces(5)
except TypeError as e:
    print('TypeError')
for bad in ('1', None):
    try:
        tracemalloc.start(bad)
    except TypeError as e:
        print('TypeError', e)
