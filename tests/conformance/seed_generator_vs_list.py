# seed: generators instead of lists for large data
import gc
import sys

def gen():
    for i in range(1000000):
        yield i

g = gen()
print(type(g).__name__)
print(next(g), next(g))
large_object = list(gen())  # This will consume a lot of memory
print(len(large_object), sys.getsizeof(large_object))

del large_object
gc.collect()
print(gc.collect())
