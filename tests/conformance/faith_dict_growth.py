import sys
d = {}
prev = sys.getsizeof(d)
print(0, prev)
for i in range(30):
    d[i] = i * i
    size = sys.getsizeof(d)
    if size != prev:
        print(len(d), size)
        prev = size
s = set()
prev = sys.getsizeof(s)
print("set", 0, prev)
for i in range(40):
    s.add(i)
    size = sys.getsizeof(s)
    if size != prev:
        print("set", len(s), size)
        prev = size
