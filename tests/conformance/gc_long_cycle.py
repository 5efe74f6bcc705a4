# a long cycle
import gc
gc.collect()
class N:
    pass
first = N()
cur = first
for i in range(99):
    n = N()
    cur.next = n
    cur = n
cur.next = first
del first, cur, n
print(gc.collect())
