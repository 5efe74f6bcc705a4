"""Records facts about CPython 3.12's built-in iterator types (list_iterator,
tuple_iterator, range_iterator, str iterators, bytes_iterator, dict and set
iterators, enumerate, zip, map, filter, reversed) and exception objects for
the native tests of core/src/iterobject.c (tests/core/test_iter.c).

    PYENV_VERSION=3.12.1 python3.12 tests/record/iters.py > tests/fixtures/iters.txt

Output: one fact per line, "<case> <value>". Never edit the output by hand;
rerun this script.

Sections
  name.<kind>      type(it).__name__
  size.<kind>      sys.getsizeof(it)
  tracked.<kind>   gc.is_tracked(it) (1/0)
  refs.<kind>      sys.getrefcount(seq) - 1 after it = iter(seq) (the iterator's share);
                   refs_exhausted.<kind> the same after the iterator is exhausted
  items.<kind>     the items produced, repr of the list
  hint.<kind>.N    it.__length_hint__() after N next() calls
  err.<case>       the exception raised by a mutation during iteration: "Type: message"
  exc_size.<case>  sys.getsizeof of exception objects
  gc.<case>        what gc.collect() returns for a cycle through iterators
  order.<case>     the order in which marker objects (ids 0, 1, ...) die when the
                   last reference to an iterator goes, after one step
"""
import gc
import sys


def kinds():
    L = [1, 2, 3]
    T = (1, 2, 3)
    D = {'a': 1, 'b': 2, 'c': 3}
    S = {1, 2, 3}
    FS = frozenset({1, 2, 3})
    return [
        ('list', L, lambda: iter(L)),
        ('list_reversed', L, lambda: reversed(L)),
        ('tuple', T, lambda: iter(T)),
        ('range', None, lambda: iter(range(3))),
        ('longrange', None, lambda: iter(range(2**64, 2**64 + 3))),
        ('range_reversed', None, lambda: reversed(range(3))),
        ('str_ascii', 'abc', lambda: iter('abc')),
        ('str', 'a\xe9\u20ac', lambda: iter('a\xe9\u20ac')),
        ('bytes', b'abc', lambda: iter(b'abc')),
        ('dict_keys', D, lambda: iter(D)),
        ('dict_keys2', D, lambda: iter(D.keys())),
        ('dict_values', D, lambda: iter(D.values())),
        ('dict_items', D, lambda: iter(D.items())),
        ('set', S, lambda: iter(S)),
        ('frozenset', FS, lambda: iter(FS)),
        ('tuple_reversed', T, lambda: reversed(T)),
        ('enumerate', L, lambda: enumerate(L)),
        ('enumerate_start', L, lambda: enumerate(L, 10)),
        ('zip', L, lambda: zip(L, T)),
        ('map', L, lambda: map(abs, L)),
        ('filter', L, lambda: filter(None, L)),
        ('reversed_seq', 'xyz', lambda: reversed('xyz')),
    ]


def out(k, v):
    print(k, v)


print('# recorded by tests/record/iters.py with Python %d.%d.%d' % sys.version_info[:3])
for kind, seq, make in kinds():
    it = make()
    out('name.' + kind, type(it).__name__)
    out('size.' + kind, sys.getsizeof(it))
    out('tracked.' + kind, int(gc.is_tracked(it)))
    if seq is not None:
        base = sys.getrefcount(seq)
        del it
        base2 = sys.getrefcount(seq)
        it = make()
        out('refs.' + kind, sys.getrefcount(seq) - base2)
        items = list(it)
        out('refs_exhausted.' + kind, sys.getrefcount(seq) - base2)
        del base
    else:
        items = list(it)
    out('items.' + kind, repr(items))
    it = make()
    if hasattr(it, '__length_hint__'):
        for n in range(5):
            out('hint.%s.%d' % (kind, n), it.__length_hint__())
            next(it, None)

# mutation during iteration
def err(case, fn):
    try:
        fn()
        out('err.' + case, 'none')
    except Exception as e:
        out('err.' + case, '%s: %s' % (type(e).__name__, e))


def dict_grow():
    d = {1: 1}
    for k in d:
        d[k + 1] = 1


def dict_shrink():
    d = {1: 1, 2: 2}
    for k in d:
        del d[2]


def dict_same_size():
    d = {1: 1, 2: 2}
    for k in d:
        del d[1]
        d[3] = 3


def dict_values_grow():
    d = {1: 1}
    for v in d.values():
        d[v + 1] = 1


def set_grow():
    s = {1}
    for k in s:
        s.add(k + 1)


def set_same_size():
    s = {1, 2}
    for k in s:
        s.discard(k)
        s.add(k + 10)


def list_grow():
    l = [1]
    n = 0
    for x in l:
        if n < 5:
            l.append(x)
            n += 1
    return n


err('dict_grow', dict_grow)
err('dict_shrink', dict_shrink)
err('dict_same_size', dict_same_size)
err('dict_values_grow', dict_values_grow)
err('set_grow', set_grow)
err('set_same_size', set_same_size)
err('list_grow', list_grow)

# l = []; l.append(iter(l)); l.append(enumerate(that iterator)); del: l, the
# list_iterator, the enumerate object and its (None, None) result tuple
gc.collect()
l = []
it = iter(l)
l.append(it)
en = enumerate(it)
l.append(en)
del en, it, l
out('gc.cycle_list_iter_enumerate', gc.collect())

# dealloc orders: markers log their id from __del__
log = []


class M:
    def __init__(self, i):
        self.i = i

    def __call__(self, *a):
        return a[0]

    def __del__(self):
        log.append(self.i)


def order(case, build):
    del log[:]
    it = build()
    next(it)
    del it
    out('order.' + case, ','.join(map(str, log)))


def ord_enumerate():   # sit (the list with 0, 1) then the result (holding 0)
    return enumerate([M(0), M(1)])


def ord_zip():         # ittuple then the result
    return zip([M(0), M(1)], [M(2), M(3)])


def ord_map():         # iters then func
    return map(M(2), [M(0), M(1)])


def ord_filter():      # func then it
    return filter(M(2), [M(0), M(1)])


def ord_items():       # the dict (values 1) then the result (0)
    return iter({0: M(0), 1: M(1)}.items())


order('enumerate', ord_enumerate)
order('zip', ord_zip)
order('map', ord_map)
order('filter', ord_filter)
order('dict_items', ord_items)

# exceptions
out('exc_size.ValueError_x', sys.getsizeof(ValueError('x')))
out('exc_size.BaseException', sys.getsizeof(BaseException()))
out('exc_size.KeyError', sys.getsizeof(KeyError(1)))
out('exc_size.StopIteration', sys.getsizeof(StopIteration(1)))
class MyErr(Exception):
    pass
out('exc_size.MyErr', sys.getsizeof(MyErr()))
out('exc_tracked.ValueError', int(gc.is_tracked(ValueError('x'))))
out('exc_basicsize.BaseException', BaseException.__basicsize__)
out('exc_basicsize.StopIteration', StopIteration.__basicsize__)
out('exc_basicsize.KeyError', KeyError.__basicsize__)
out('exc_basicsize.MyErr', MyErr.__basicsize__)
out('size.builtin_function', sys.getsizeof(print))
out('size.module', sys.getsizeof(sys))
