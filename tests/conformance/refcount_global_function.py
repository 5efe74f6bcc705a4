# a module-level function object: globals + argument
import sys
def f():
    pass
print(sys.getrefcount(f))
g = f
print(sys.getrefcount(f))
