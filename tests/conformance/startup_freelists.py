# Start-up leaves objects on the 3.12 free lists: the first dicts, lists and
# tuples a script makes come from there (no gen-0 count). How many exactly
# depends on the script (the compiler's own leftovers): each probe only asks
# whether the first `cap` objects came without moving gc.get_count().
import gc

gc.disable()

def probe(make, cap):
    keep = []
    start = gc.get_count()[0]
    for n in range(cap):
        keep.append(make(n))
        if gc.get_count()[0] != start:
            return n
    return cap


print("dict", probe(lambda n: {}, 10))
print("list", probe(lambda n: [], 5))
print("1-tuple", probe(lambda n: (n,), 3))
print("2-tuple", probe(lambda n: (n, n), 5))
print("3-tuple", probe(lambda n: (n, n, n), 1))
print("after the free lists", probe(lambda n: {}, 1000) < 1000)

