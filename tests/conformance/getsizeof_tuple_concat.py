# tuple concatenation
import sys
t = ()
for i in range(5):
    t = t + (i,)
    print(sys.getsizeof(t))
