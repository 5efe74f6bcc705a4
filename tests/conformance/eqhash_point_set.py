# A Point class with __eq__ / __hash__ as set members and dict keys:
# lookups by an equal (not identical) instance.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        if not isinstance(other, Point):
            return NotImplemented
        return self.x == other.x and self.y == other.y

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


pts = {Point(1, 2), Point(3, 4), Point(1, 2)}
print(len(pts))
print(Point(1, 2) in pts, Point(2, 1) in pts, Point(3, 4) not in pts)
pts.add(Point(3, 4))
pts.add(Point(5, 6))
print(len(pts))
pts.discard(Point(5, 6))
pts.remove(Point(1, 2))
print(len(pts), Point(3, 4) in pts)
try:
    pts.remove(Point(9, 9))
except KeyError as e:
    print("KeyError", e)
a = {Point(0, 0), Point(1, 1), Point(2, 2)}
b = {Point(1, 1), Point(2, 2), Point(3, 3)}
print(sorted((p.x, p.y) for p in a if p in b))
print(a == {Point(2, 2), Point(1, 1), Point(0, 0)}, a == b)
print(frozenset([Point(1, 1)]) == frozenset([Point(1, 1)]))
print(Point(1, 1) in frozenset(a))

d = {Point(0, 0): "origin", Point(1, 0): "east"}
print(d[Point(0, 0)], d.get(Point(1, 0)), d.get(Point(5, 5), "nowhere"))
d[Point(0, 0)] = "zero"
print(len(d), d[Point(0, 0)])
print(Point(1, 0) in d, Point(0, 1) in d)
print(d.setdefault(Point(0, 1), "north"), len(d))
print(d.pop(Point(1, 0)), len(d))
del d[Point(0, 1)]
print(list(d.items()))
try:
    d[Point(7, 7)]
except KeyError as e:
    print("KeyError", e)
seen = {}
for p in [Point(1, 1), Point(2, 2), Point(1, 1), Point(1, 1)]:
    seen[p] = seen.get(p, 0) + 1
print(list(seen.values()))
