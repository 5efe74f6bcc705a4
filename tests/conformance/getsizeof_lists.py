# list displays: constants use LIST_EXTEND, names BUILD_LIST
import sys

a = 1
b = 2
c = 3
print(sys.getsizeof([1, 2, 3]))
print(sys.getsizeof([a, b, c]))
print(sys.getsizeof([a, b]))
print(sys.getsizeof([1, 2]))
print(sys.getsizeof([]))
l = [0] * 10
print(sys.getsizeof(l))
l2 = list(range(10))
print(sys.getsizeof(l2))
l3 = [i for i in range(10)]
print(sys.getsizeof(l3))
