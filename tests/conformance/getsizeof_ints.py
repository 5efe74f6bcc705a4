# int sizes grow by 4 bytes per 30-bit digit
import sys

for e in [0, 1, 29, 30, 59, 60, 90, 200]:
    print(e, sys.getsizeof(2 ** e), sys.getsizeof(-(2 ** e)))
print(sys.getsizeof(True), sys.getsizeof(False))
print(sys.getsizeof(0.0), sys.getsizeof(1e300))
