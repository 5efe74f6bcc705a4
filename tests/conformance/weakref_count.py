# getweakrefcount and refs without callbacks are shared
import weakref

class Obj:
    pass

o = Obj()
r1 = weakref.ref(o)
r2 = weakref.ref(o)
print(r1 is r2)
print(weakref.getweakrefcount(o))
del r1, r2
print(weakref.getweakrefcount(o))
