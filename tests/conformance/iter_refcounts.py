# Iterators hold real references: getrefcount of the sequence while an
# iterator lives, after it is exhausted (3.12 drops the sequence), and after
# it dies; sizes and type names of the built-in iterator types.
import sys

L = [1, 2, 3]
print(sys.getrefcount(L))
it = iter(L)
print(sys.getrefcount(L), sys.getsizeof(it), type(it).__name__)
print(next(it), next(it), next(it))
print(next(it, 'done'), sys.getrefcount(L))
del it

T = (4, 5, 6)
it = iter(T)
print(type(it).__name__, sys.getsizeof(it), sys.getrefcount(T))
print(list(it), sys.getrefcount(T))

D = {'a': 1, 'b': 2}
for make in (lambda: iter(D), lambda: iter(D.keys() if False else D)):
    it = make()
    print(type(it).__name__, sys.getsizeof(it), sys.getrefcount(D))
    print(list(it), sys.getrefcount(D))

S = {10, 20}
it = iter(S)
print(type(it).__name__, sys.getsizeof(it), sys.getrefcount(S))
print(sorted(it), sys.getrefcount(S))

r = range(5)
it = iter(r)
print(type(it).__name__, sys.getsizeof(it), sys.getrefcount(r), it.__length_hint__())
next(it)
print(it.__length_hint__(), list(it))
big = range(2**64, 2**64 + 2)
print(type(iter(big)).__name__, list(big))

s = ''.join(['h', 'ello'])
it = iter(s)
print(type(it).__name__, sys.getsizeof(it), sys.getrefcount(s))
u = 'caf' + '\xe9'
print(type(iter(u)).__name__, list(iter(u)))
b = b'\x01\x02\x03'
print(type(iter(b)).__name__, list(b))

it = reversed(L)
print(type(it).__name__, sys.getsizeof(it), sys.getrefcount(L), list(it), sys.getrefcount(L))
it = reversed(T)
print(type(it).__name__, sys.getsizeof(it), sys.getrefcount(T), list(it), sys.getrefcount(T))
print(type(reversed(range(3))).__name__, list(reversed(range(3))))
it = iter(L)
print(iter(it) is it, it.__iter__() is it)
print(repr(type(it)), type(it) is type(iter([])))
