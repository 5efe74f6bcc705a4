# tuple sizes: 8 bytes per item after a 40-byte header
import sys

print(sys.getsizeof(()))
print(sys.getsizeof((1,)))
print(sys.getsizeof((1, 2)))
x = 5
print(sys.getsizeof((x, x, x)))
print(sys.getsizeof(tuple(range(10))))
