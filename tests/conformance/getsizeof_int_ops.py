# results of int arithmetic
import sys
a = 2 ** 62
print(sys.getsizeof(a), sys.getsizeof(a * a), sys.getsizeof(a - a), sys.getsizeof(-a))
