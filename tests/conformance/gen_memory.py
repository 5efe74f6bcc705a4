# a generator is small whatever it produces; the list is large
import sys
def gen(n):
    for i in range(n):
        yield i
g = gen(100000)
l = list(gen(100000))
print(sys.getsizeof(g), sys.getsizeof(l))
print(sum(g))
