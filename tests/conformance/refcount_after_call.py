# temporary references from a call are gone after it returns
import sys
def use(o):
    tmp = o
    return None
x = []
before = sys.getrefcount(x)
use(x)
print(sys.getrefcount(x) == before)
