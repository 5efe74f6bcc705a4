# seed: sys.getsizeof of common objects
import sys

obj = [1, 2, 3, 4, 5]
print(sys.getsizeof(obj))
print(sys.getsizeof([]), sys.getsizeof({}), sys.getsizeof(()), sys.getsizeof(set()))
print(sys.getsizeof(0), sys.getsizeof(1), sys.getsizeof(2 ** 30), sys.getsizeof(2 ** 100))
print(sys.getsizeof(1.5), sys.getsizeof("a"), sys.getsizeof("hello"), sys.getsizeof(b"abc"))
print(sys.getsizeof(None), sys.getsizeof(True))
l = []
sizes = []
for i in range(20):
    sizes.append(sys.getsizeof(l))
    l.append(i)
print(sizes)
