# weak references to functions and classes
import weakref
def f():
    return 42
class C:
    pass
rf = weakref.ref(f)
rc = weakref.ref(C)
print(rf()(), rc() is C)
del f
print(rf())
