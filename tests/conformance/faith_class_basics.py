class Point:
    count = 0
    def __init__(self, x, y):
        self.x = x
        self.y = y
        Point.count += 1
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)
    def dist2(self):
        return self.x ** 2 + self.y ** 2
p = Point(3, 4)
q = Point(3, 4)
print(p, q, p == q, p is q, Point.count)
print(p.dist2(), str(p), [p, q])
print(vars(p), p.__dict__, type(p).__name__)
print(isinstance(p, Point), isinstance(3, (int, float)), issubclass(bool, int))
print(getattr(p, "x"), getattr(p, "z", "none"), hasattr(p, "y"))
setattr(p, "z", 9)
print(p.z)
