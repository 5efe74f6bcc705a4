# getsizeof does not follow references
import sys
inner = list(range(1000))
outer = [inner]
print(sys.getsizeof(outer), sys.getsizeof(inner))
print(sys.getsizeof([[1, 2, 3]]))
