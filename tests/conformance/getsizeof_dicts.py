# dict sizes as keys are added
import sys

d = {}
sizes = []
for i in range(12):
    sizes.append(sys.getsizeof(d))
    d[i] = i
print(sizes)
print(sys.getsizeof({"a": 1}), sys.getsizeof({"a": 1, "b": 2}))
s = set()
sizes = []
for i in range(10):
    sizes.append(sys.getsizeof(s))
    s.add(i)
print(sizes)
