# property errors as 3.12 words them: no getter / setter / deleter, named
# and unnamed (assigned after the class was made), nested class qualnames,
# and a property() built from plain functions.
class A:
    x = property()
    def _get(self):
        return 42
    y = property(_get)
    z = property(_get, None, None, "zdoc")


class Outer:
    class Inner:
        p = property(lambda self: 1)


A.late = property(A._get)
A.empty = property()
a = A()


def get_x(): return a.x
def set_x(): a.x = 1
def del_x(): del a.x
def set_y(): a.y = 1
def del_y(): del a.y
def set_late(): a.late = 2
def get_empty(): return a.empty
def set_inner(): Outer.Inner().p = 3


for fn in [get_x, set_x, del_x, set_y, del_y, set_late, get_empty, set_inner]:
    try:
        fn()
        print(fn.__name__, "ok")
    except AttributeError as e:
        print(fn.__name__, "->", e)
print(a.y, a.late, A.z.__doc__, A.y.__doc__)
try:
    property(1, 2, 3, 4, 5)
except TypeError as e:
    print("TypeError:", e)
p = property(doc="only a doc")
print(p.__doc__, p.fget)
