# list items, appends and pops move references
import sys
x = []
l = []
for i in range(3):
    l.append(x)
print(sys.getrefcount(x))
l.pop()
print(sys.getrefcount(x))
l.clear()
print(sys.getrefcount(x))
