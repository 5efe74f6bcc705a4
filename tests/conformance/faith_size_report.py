# a "memory profiling" style walkthrough without tracemalloc
import sys
import gc
def size_report(label, obj):
    print(f"{label:<12}{sys.getsizeof(obj):>8,} bytes")
size_report("int", 10 ** 18)
size_report("float", 3.14)
size_report("str", "x" * 1000)
size_report("list", list(range(1000)))
size_report("tuple", tuple(range(1000)))
size_report("set", set(range(1000)))
size_report("dict", {i: i for i in range(1000)})
size_report("range", range(1000))
size_report("gen", (i for i in range(1000)))
total = 0
items = []
for i in range(5):
    items.append("item-%03d" % i)
    total += sys.getsizeof(items[-1])
print(items, total, "%.1f avg" % (total / len(items)))
print("{:.2%} of the list is overhead".format(56 / sys.getsizeof(items)))
def deep_size(o, seen=None):
    seen = set() if seen is None else seen
    if id(o) in seen:
        return 0
    seen.add(id(o))
    size = sys.getsizeof(o)
    if isinstance(o, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in o.items())
    elif isinstance(o, (list, tuple, set)):
        size += sum(deep_size(x, seen) for x in o)
    return size
data = {"names": ["a", "b"], "nums": (1, 2, 3), "nested": {"x": [1.5, 2.5]}}
print(deep_size(data))
print(gc.get_threshold(), gc.isenabled())
