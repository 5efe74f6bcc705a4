# list growth pattern by appends, and shrinking by pops
import sys
l = []
sizes = []
for i in range(40):
    l.append(i)
    sizes.append(sys.getsizeof(l))
print(sizes)
shrink = []
while l:
    l.pop()
    shrink.append(sys.getsizeof(l))
print(shrink)
