# classes: attributes, methods, class attributes
class Point:
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x * self.x + self.y * self.y
    def __repr__(self):
        return "Point(" + str(self.x) + ", " + str(self.y) + ")"

p = Point(3, 4)
print(p.norm2(), Point.dims, p.dims)
print(p)
print(repr(p))
print([p, p])
p.dims = 3
print(p.dims, Point.dims)
print(isinstance(p, Point), isinstance(1, Point))
print(type(p).__name__)
