# classmethod and staticmethod: on the instance, the class, a subclass and
# through super(); the objects themselves (__func__, __wrapped__, __dict__,
# callable staticmethod, non-callable classmethod).
class Shape:
    count = 0

    def __init__(self):
        Shape.count += 1

    @classmethod
    def make(cls, *args):
        return cls(*args)

    @classmethod
    def name(cls):
        return cls.__name__

    @staticmethod
    def area_of(w, h):
        return w * h


class Square(Shape):
    @classmethod
    def name(cls):
        return "Square<" + super().name() + ">"

    @staticmethod
    def area_of(w, h=None):
        return Shape.area_of(w, w if h is None else h)

    def describe(self):
        return super().area_of(2, 3), super().name(), self.name()


s = Square.make()
print(type(s).__name__, Shape.count, Shape.name(), Square.name(), s.name())
print(Shape.area_of(2, 5), s.area_of(4), Square.area_of(3, 1))
print(s.describe())
m = Square.name
print(m(), type(m).__name__)
sm = Shape.__dict__['area_of']
cm = Shape.__dict__['make']
print(type(sm).__name__, type(cm).__name__, sm.__func__ is Shape.area_of, sm.__wrapped__ is sm.__func__)
print(sorted(sm.__dict__), sm.__dict__['__qualname__'], cm.__dict__['__name__'])
print(sm(6, 7))
try:
    cm(1)
except TypeError as e:
    print("TypeError:", e)
print(callable(sm), Shape.make is Shape.make, Shape.area_of is Shape.area_of)
try:
    staticmethod()
except TypeError as e:
    print("TypeError:", e)
print(staticmethod(len)("four"), classmethod(len).__func__ is len)
