# slices allocate exactly
import sys
l = list(range(50))
print(sys.getsizeof(l[:10]), sys.getsizeof(l[10:]), sys.getsizeof(l[:]))
