# a weakref callback runs when the referent dies
import weakref

class Obj:
    pass

def cb(r):
    print("callback, dead:", r() is None)

o = Obj()
r = weakref.ref(o, cb)
print(r() is o)
del o
print("after del")
print(r())
