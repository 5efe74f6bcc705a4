import weakref
class Big:
    def __init__(self, n):
        self.n = n
obj = Big(10)
r = weakref.ref(obj)
print(r() is obj, r().n)
del obj
print(r())
cache = weakref.WeakValueDictionary()
x = Big(1)
cache["x"] = x
print(len(cache), cache["x"].n)
del x
print(len(cache))
def cb(ref):
    print("callback, dead:", ref() is None)
y = Big(2)
r2 = weakref.ref(y, cb)
del y
print("done")
