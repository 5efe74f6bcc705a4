# range objects are the same size whatever their length
import sys
print(sys.getsizeof(range(0)), sys.getsizeof(range(10)), sys.getsizeof(range(10 ** 12)))
print(len(range(0, 100, 7)), list(range(10, 0, -3)))
