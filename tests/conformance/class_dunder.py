# operator methods on user classes
class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, other):
        return V(self.x + other.x)
    def __eq__(self, other):
        return self.x == other.x
    def __len__(self):
        return self.x
    def __str__(self):
        return "V" + str(self.x)

a = V(1) + V(2)
print(a.x, a == V(3), a == V(4), len(a))
print(str(a))
print(a)
