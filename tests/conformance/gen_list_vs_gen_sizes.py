# the seed comparison with several sizes
import sys
for n in [10, 1000, 100000]:
    print(n, sys.getsizeof([i for i in range(n)]), sys.getsizeof((i for i in range(n))))
