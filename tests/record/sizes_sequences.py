"""Records sequence facts (tuple, list, range) from real CPython 3.12 for the
native tests of core/src/{tuple,list,range}object.c.

    PYENV_VERSION=3.12.1 python3.12 tests/record/sizes_sequences.py > tests/fixtures/sizes_sequences.txt

Output: one fact per line, "<case> <value>": the case is one token without
spaces, the value is the rest of the line. Lines starting with '#' are
comments. Never edit the output by hand; rerun this script.

Sections
  list_append.N       getsizeof after N appends to []
  list_pop.N          getsizeof after popping a 40-append list down to N
  list_repeat.N       getsizeof([None] * N)
  list_range.N        getsizeof(list(range(N)))             (len known: exact, rounded up to even)
  list_names.N        getsizeof([x, x, ...]) with N names     (BUILD_LIST N: exactly N)
  list_consts.N       getsizeof([None, None, ...]) N consts   (N >= 3: constant tuple + LIST_EXTEND)
  list_comp.N         getsizeof([None for _ in range(N)])
  list_extend_iter.N  l = []; l.extend(iter(range(N)))        (length hint N)
  list_extend_gen.N   l = []; l.extend(generator of N)        (no hint: default 8)
  list_gen.N          list(generator of N)
  list_extend2.M.N    l = M appends; l.extend([None] * N)
  list_insert.N       getsizeof after N insert(0, None) into []
  list_slice.A:B:C    getsizeof(list(range(20))[A:B:C])
  list_delslice.A:B:C getsizeof after del l[A:B:C], l = 40 appends
  list_setslice.A:B.N getsizeof after l[A:B] = [None] * N, l = 20 appends
  list_imul.M.N       l = M appends; l *= N; getsizeof
  list_concat.M.N     getsizeof(a + b) for M and N appends
  list_copy.N         getsizeof(l.copy()) for N appends
  tuple_size.N        getsizeof(tuple(range(N)))
  tuple_hash.<expr>   hash(<expr>)
  repr.<name>         repr() of a fixed structure
  range_size.<args>   getsizeof(range(args)) ; range_len.<args> len(range(args))
  range_item.<args>.I range(args)[I]
  range_hash.<args>   hash(range(args)) for ranges of 2+ items
  range_alloc.<args>  bytes and blocks tracemalloc sees while range(args) is built
  range_repr.<args>   repr(range(args))
  trash.<shape>.N     order in which the marker objects of a nested structure
                      die on `del x` (markers are function objects observed by
                      weakref callbacks: func_dealloc has no trashcan, so the
                      order shows the containers' own trashcan behaviour)
"""
import sys
import weakref

getsizeof = sys.getsizeof
out = []


def emit(case, value):
    assert " " not in case, case
    out.append(f"{case} {value}")


# ---- lists -------------------------------------------------------------------

l = []
emit("list_append.0", getsizeof(l))
for n in range(1, 41):
    l.append(None)
    emit(f"list_append.{n}", getsizeof(l))

while l:
    l.pop()
    emit(f"list_pop.{len(l)}", getsizeof(l))

for n in range(0, 41):
    emit(f"list_repeat.{n}", getsizeof([None] * n))

for n in range(0, 41):
    emit(f"list_range.{n}", getsizeof(list(range(n))))

for n in range(0, 13):
    src = "[" + ", ".join(["x"] * n) + "]"
    emit(f"list_names.{n}", getsizeof(eval(src, {"x": None})))
    src = "[" + ", ".join(["None"] * n) + "]"
    emit(f"list_consts.{n}", getsizeof(eval(src)))

for n in range(0, 41):
    emit(f"list_comp.{n}", getsizeof([None for _ in range(n)]))

for n in range(0, 21):
    l = []
    l.extend(iter(range(n)))
    emit(f"list_extend_iter.{n}", getsizeof(l))
    l = []
    l.extend(None for _ in range(n))
    emit(f"list_extend_gen.{n}", getsizeof(l))
    emit(f"list_gen.{n}", getsizeof(list(None for _ in range(n))))

for m in (0, 1, 3, 4, 5, 8, 9):
    for n in (0, 1, 2, 3, 4, 5, 8, 13, 40):
        l = []
        for _ in range(m):
            l.append(None)
        l.extend([None] * n)
        emit(f"list_extend2.{m}.{n}", getsizeof(l))

l = []
for n in range(1, 41):
    l.insert(0, None)
    emit(f"list_insert.{n}", getsizeof(l))

src20 = list(range(20))
SLICES = [(None, None, None), (0, 20, 1), (2, 9, None), (5, 5, None), (0, 20, 2), (1, 20, 3),
          (None, None, -1), (15, 2, -2), (-3, None, None), (None, -15, None), (19, None, -7), (3, 4, 5)]


def sl(a, b, c):
    return ":".join("" if v is None else str(v) for v in (a, b, c))


for a, b, c in SLICES:
    emit(f"list_slice.{sl(a, b, c)}", getsizeof(src20[a:b:c]))
for a, b, c in SLICES + [(0, 40, 1), (0, 39, None), (1, 40, 2), (None, None, 3), (None, None, -5), (30, 2, -1)]:
    l = []
    for _ in range(40):
        l.append(None)
    del l[a:b:c]
    emit(f"list_delslice.{sl(a, b, c)}", f"{getsizeof(l)} {len(l)}")
for a, b in ((0, 0), (0, 20), (5, 10), (20, 20), (3, 4)):
    for n in (0, 1, 5, 10, 30):
        l = []
        for _ in range(20):
            l.append(None)
        l[a:b] = [None] * n
        emit(f"list_setslice.{a}:{b}.{n}", f"{getsizeof(l)} {len(l)}")
for m in (0, 1, 2, 3, 5):
    for n in (0, 1, 2, 3, 7):
        l = []
        for _ in range(m):
            l.append(None)
        l *= n
        emit(f"list_imul.{m}.{n}", f"{getsizeof(l)} {len(l)}")
for m in (0, 1, 3):
    for n in (0, 2, 5):
        a, b = [], []
        for _ in range(m):
            a.append(None)
        for _ in range(n):
            b.append(None)
        emit(f"list_concat.{m}.{n}", getsizeof(a + b))
for n in (0, 1, 2, 3, 9):
    l = []
    for _ in range(n):
        l.append(None)
    emit(f"list_copy.{n}", getsizeof(l.copy()))

# ---- tuples ------------------------------------------------------------------

for n in range(0, 26):
    emit(f"tuple_size.{n}", getsizeof(tuple(range(n))))

HASHES = ["()", "(0,)", "(1,)", "(-1,)", "(1,2,3)", "(3,2,1)", "((),)", "((1,2),3)", "(1,(2,3))",
          "tuple(range(20))", "(2**61-2,)", "(-2,-1,0,1,2)", "((),(),())", "(((),),)"]
for expr in HASHES:
    emit(f"tuple_hash.{expr.replace(' ', '')}", hash(eval(expr)))

# ---- reprs (no ints: the model test builds them from None and containers) ----

emit("repr.empty_tuple", repr(()))
emit("repr.one_tuple", repr((None,)))
emit("repr.two_tuple", repr((None, None)))
emit("repr.nested_tuple", repr(((), ((),), (None, ()))))
emit("repr.empty_list", repr([]))
emit("repr.list3", repr([None, None, None]))
emit("repr.nested_list", repr([[], [[]], (None, [])]))
l = []
l.append(l)
emit("repr.self_list", repr(l))
l = [None]
l.append([l, ()])
emit("repr.cycle_list", repr(l))
t = ([],)
t[0].append(t)
emit("repr.tuple_cycle", repr(t))
del l, t

# ---- ranges ------------------------------------------------------------------

RANGES = [(0,), (10,), (-5,), (2, 10), (10, 2), (0, 10, 3), (10, 0, -3), (-7, 7, 2), (0, 1000), (5, 300, 1),
          (0, 2**40, 7), (2**62, -2**62, -(2**61)), (0, 2**64, 7), (-2**63, 2**63 - 1), (3, 4), (True, 9, True)]
for args in RANGES:
    key = ",".join(map(str, args))
    r = range(*args)
    emit(f"range_size.{key}", getsizeof(r))
    try:
        n = len(r)
    except OverflowError as e:
        n = f"OverflowError:{e}"
    emit(f"range_len.{key}", n)
    emit(f"range_repr.{key}", repr(r))
    count = max(0, (r.stop - r.start + r.step - (1 if r.step > 0 else -1)) // r.step)
    if count >= 2:
        emit(f"range_hash.{key}", hash(r))   # (len, start, step): ints only (None's hash is an address in 3.12)
    for i in (0, 1, -1, 2):
        try:
            v = r[i]
        except IndexError as e:
            v = f"IndexError:{e}"
        emit(f"range_item.{key}.{i}", v)

# what building a range allocates (tracemalloc: bytes requested, blocks), the
# arguments being existing ints: the length int (unless cached) and the range


def range_alloc(args):
    import tracemalloc
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    r = range(*args)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    here = [d for d in after.compare_to(before, "filename") if d.traceback[0].filename == __file__]
    del r
    return sum(d.size_diff for d in here), sum(d.count_diff for d in here)


for args in [(10,), (0, 1000), (5, 300, 1), (0, 2**40, 7), (0, 2**64, 7), (2**62, -2**62, -(2**61))]:
    size, count = range_alloc(args)
    emit(f"range_alloc.{','.join(map(str, args))}", f"{size} {count}")

# ---- deallocation order through the trashcan ----------------------------------

def markers(n, order):
    """n distinct function objects; each reports its index to `order` when it
    dies (func_dealloc clears weakrefs before anything else, no trashcan)."""
    keep = []
    fs = []
    for i in range(n):
        f = (lambda: None)
        keep.append(weakref.ref(f, lambda wr, i=i: order.append(i)))
        fs.append(f)
        del f
    return fs, keep


SHAPES = {
    "list_tail": lambda f, x: [f, x],        # nested container released first
    "list_head": lambda f, x: [x, f],        # marker released first
    "tuple_tail": lambda f, x: (f, x),
    "tuple_head": lambda f, x: (x, f),
    "list_tuple": lambda f, x: [f, (x,)],   # alternating list / tuple levels
}
for shape, build in SHAPES.items():
    for n in (120, 300):
        order = []
        fs, keep = markers(n, order)
        x = None
        for i in range(n):
            x = build(fs[i], x)
        fs.clear()
        del x
        assert len(order) == n, (shape, len(order))
        emit(f"trash.{shape}.{n}", ",".join(map(str, order)))
        del keep

print(f"# recorded by tests/record/sizes_sequences.py with Python {sys.version.split()[0]}")
print("\n".join(out))
