import sys
import gc
class Tracked:
    instances = 0
    def __init__(self):
        Tracked.instances += 1
    def __del__(self):
        Tracked.instances -= 1
objs = [Tracked() for _ in range(5)]
print(Tracked.instances)
objs = objs[:2]
print(Tracked.instances)
del objs[:]
print(Tracked.instances, objs)
def make_big():
    data = list(range(1000))
    return len(data), sys.getsizeof(data)
print(make_big())
x = [1, 2, 3]
y = x
x += [4]
print(y, x is y)
t = (1, 2)
u = t
t += (3,)
print(u, t is u)
s = "ab"
s2 = s
s += "c"
print(s, s2, s is s2)
print(sys.getsizeof("a" * 100), sys.getsizeof("é" * 10), sys.getsizeof("€"), sys.getsizeof(""))
print(sys.getsizeof(1.5), sys.getsizeof(True), sys.getsizeof(None), sys.getsizeof([[]] * 10))
print(sys.getsizeof({}), sys.getsizeof({"a": 1}))
nums = list(range(10))
evens = [n for n in nums if n % 2 == 0]
squares = {n: n * n for n in evens}
print(evens, squares, {n % 3 for n in nums})
matrix = [[i * j for j in range(3)] for i in range(3)]
print(matrix, [row[1] for row in matrix], list(zip(*matrix)))
print(gc.is_tracked([]), gc.is_tracked(1), gc.is_tracked((1, 2)), gc.is_tracked({}), gc.is_tracked({"a": []}))
print(sys.getrefcount(None) > 1000, type(sys.getrefcount(None)).__name__)
a = b = []
a.append(1)
print(b, a is b)
def f(lst=[]):
    lst.append(len(lst))
    return lst
print(f(), f(), f([9]))
print(list(filter(lambda v: v > 2, [1, 3, 5])), [*range(3), *"ab"], {**{"a": 1}, "b": 2})
first, *rest = [1, 2, 3, 4]
print(first, rest)
