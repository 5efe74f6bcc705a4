# bound methods
class A:
    def m(self):
        return "m"
a = A()
bm = a.m
print(type(bm).__name__, bm())
print(A.m(a))
print(type(A.m).__name__)
