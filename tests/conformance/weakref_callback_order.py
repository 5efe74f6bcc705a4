# callbacks of several weakrefs run newest first
import weakref
class O:
    pass
o = O()
r1 = weakref.ref(o, lambda r: print("cb1"))
r2 = weakref.ref(o, lambda r: print("cb2"))
del o
print("end")
