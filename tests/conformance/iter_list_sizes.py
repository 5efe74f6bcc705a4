# list(iterator) sizes its array from PyObject_LengthHint(it, 8) as list_extend does.
import sys


def gen(n):
    for i in range(n):
        yield i


for n in (0, 1, 3, 8, 9, 20):
    print(n, sys.getsizeof(list(iter(range(n)))), sys.getsizeof(list(gen(n))),
          sys.getsizeof(list(map(abs, range(n)))), sys.getsizeof(list(reversed(range(n)))),
          sys.getsizeof(list(enumerate(range(n)))), sys.getsizeof(tuple(gen(n))))
print(sys.getsizeof(list(zip('ab', 'cd'))), sys.getsizeof(list(filter(None, [0, 1, 2]))))
print(sys.getsizeof(sorted(gen(5))), sys.getsizeof(list(iter({1: 2, 3: 4}))), sys.getsizeof(list(iter({5, 6}))))
