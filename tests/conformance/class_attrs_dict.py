# instance attributes, getattr, setattr, hasattr
class O:
    pass
o = O()
setattr(o, "a", 1)
o.b = 2
print(getattr(o, "a"), getattr(o, "zz", "default"), hasattr(o, "b"), hasattr(o, "c"))
delattr(o, "a")
print(hasattr(o, "a"))
