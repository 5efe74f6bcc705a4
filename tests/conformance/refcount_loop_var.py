# the loop variable keeps the last item
import sys
x = []
for item in [x]:
    pass
print(sys.getrefcount(x))
del item
print(sys.getrefcount(x))
