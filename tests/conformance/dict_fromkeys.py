# dict.fromkeys: presized from an exact dict, set or frozenset (3.12's
# calculate_log2_keysize quirk: 1-4 keys get 16 slots), grown key by key from
# any other iterable; dict() is a fresh allocation that counts in gen 0.
import gc
import sys

for n in (0, 1, 4, 5, 6, 10, 11, 22):
    ints = set(range(n))
    strs = {str(i): i for i in range(n)}
    print(n,
          sys.getsizeof(dict.fromkeys(ints)),
          sys.getsizeof(dict.fromkeys(frozenset(ints))),
          sys.getsizeof(dict.fromkeys(strs)),
          sys.getsizeof(dict.fromkeys(list(strs))),
          sys.getsizeof(dict.fromkeys(range(n))),
          sys.getsizeof(dict.fromkeys(strs.keys())))

print(dict.fromkeys("abca"), dict.fromkeys([3, 1, 2], 0), {}.fromkeys((1, 2), "x"))
print(dict.fromkeys({"b": 1, "a": 2}, None))
shared = []
d = dict.fromkeys("xyz", shared)
d["x"].append(1)
print(d, sys.getrefcount(shared))
print(gc.is_tracked(dict.fromkeys([1, 2])), gc.is_tracked(dict.fromkeys([1, 2], [])))
print(repr(dict.fromkeys).split(" at ")[0], repr({}.fromkeys).split(" at ")[0])
print(dict.fromkeys.__name__, type(dict.fromkeys).__name__)

for bad in ((), (1, 2, 3)):
    try:
        dict.fromkeys(*bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    dict.fromkeys([1], value=2)
except TypeError as e:
    print("TypeError:", e)
try:
    dict.fromkeys([[1]])
except TypeError as e:
    print("TypeError:", e)
try:
    dict.fromkeys(5)
except TypeError as e:
    print("TypeError:", e)

gc.disable()
gc.get_count()   # its 3-tuple is on the tuple free list from here on (pyheap starts with empty free lists)
x = {}
del x
before = gc.get_count()[0]
a = dict()
after_call = gc.get_count()[0]
b = {}
after_display = gc.get_count()[0]
print(after_call - before, after_display - after_call)
