# set sizes
import sys
print(sys.getsizeof(set()), sys.getsizeof({1}), sys.getsizeof({1, 2, 3, 4, 5}))
print(sys.getsizeof(frozenset()), sys.getsizeof(frozenset([1, 2, 3])))
s = set(range(100))
print(sys.getsizeof(s))
