# a list containing itself
import sys
l = []
l.append(l)
print(sys.getrefcount(l))
l.append(l)
print(sys.getrefcount(l))
