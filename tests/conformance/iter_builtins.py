# enumerate, zip, map, filter: core objects with 3.12's sizes and references,
# lazy, result tuples, exhaustion.
import sys

L = ['a', 'b', 'c']
e = enumerate(L)
print(type(e).__name__, sys.getsizeof(e), sys.getrefcount(L), isinstance(e, enumerate))
print(next(e), list(e), sys.getrefcount(L))
print(list(enumerate(L, 5)), list(enumerate(L, start=-1)))
for i, x in enumerate('xy'):
    print(i, x)

z = zip(L, range(10), 'pq')
print(type(z).__name__, sys.getsizeof(z), sys.getrefcount(L))
print(list(z), sys.getrefcount(L))
print(list(zip()), list(zip(L)))
a, b = zip((1, 2), (3, 4))
print(a, b)

calls = []


def sq(x):
    calls.append(x)
    return x * x


m = map(sq, [1, 2, 3])
print(type(m).__name__, sys.getsizeof(m), calls)
print(next(m), calls)
print(list(m), calls)
print(list(map(lambda x, y: x + y, [1, 2, 3], [10, 20])))

f = filter(lambda x: x % 2, range(7))
print(type(f).__name__, sys.getsizeof(f), list(f))
print(list(filter(None, [0, 1, '', 'a', None, [], [0]])))
print(list(filter(bool, [0, 2])))


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n


print(list(enumerate(Countdown(3))), list(zip(Countdown(2), 'abc')))
print(list(map(str, Countdown(3))), list(filter(None, Countdown(4))))


def gen():
    yield 1
    yield 2


print(list(enumerate(gen())), list(zip(gen(), gen())), sum(map(sq, gen())))


class Seq:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return 'abc'[i]


r = reversed(Seq())
print(type(r).__name__, list(r))
print(sorted(zip([3, 1, 2], 'cab')), dict(zip('ab', [1, 2])), dict(enumerate('xy')))
print(tuple(map(abs, (-1, -2))), max(map(abs, [-5, 3])), any(map(bool, [0, 0, 1])))
try:
    next(iter([]))
except StopIteration as ex:
    print('StopIteration', ex.args)
try:
    next([1])
except TypeError as ex:
    print(ex)
try:
    iter(5)
except TypeError as ex:
    print(ex)
try:
    reversed({1: 2, 3: 4}.keys() if False else 5)
except TypeError as ex:
    print(ex)
print(next(iter([]), 'default'))
