# [x] * n allocates exactly n slots
import sys
for n in [0, 1, 5, 10, 100]:
    print(n, sys.getsizeof([None] * n))
