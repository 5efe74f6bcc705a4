# dict comprehensions grow like insertions
import sys
for n in [0, 1, 5, 6, 11, 22]:
    d = {i: i for i in range(n)}
    print(n, sys.getsizeof(d))
