# setter chains: each getter()/setter()/deleter() makes a new property, the
# old one stays usable; docs follow the getter; a subclass overrides a
# property and reaches the base's through super().
class Base:
    def __init__(self):
        self._v = 0

    def get_v(self):
        "value doc"
        return self._v

    def set_v(self, v):
        self._v = v

    v = property(get_v)
    v_rw = v.setter(set_v)


print(Base.v is Base.v_rw, Base.v.fset, Base.v_rw.fset is Base.set_v)
print(Base.v.__doc__, Base.v_rw.__doc__)
b = Base()
b.v_rw = 7
print(b.v, b.v_rw)
try:
    b.v = 8
except AttributeError as e:
    print(e)


class Child(Base):
    @property
    def v(self):
        return super().v + 100

    @v.setter
    def v(self, x):
        print("Child setter", x)
        self._v = x * 2


c = Child()
c.v = 5
print(c.v, c._v)
p = Base.v.getter(lambda self: "new")
print(p.__doc__, p.fget(b), Base.v.fget(b))
q = property(lambda s: 1, doc="kept").getter(lambda s: 2)
print(q.__doc__)
