# class-level data and methods calling methods
class Shape:
    sides = 0
    def describe(self):
        return self.name() + " with " + str(self.sides) + " sides"
    def name(self):
        return "shape"
class Square(Shape):
    sides = 4
    def name(self):
        return "square"
print(Shape().describe())
print(Square().describe())
