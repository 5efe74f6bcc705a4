# a method call passes self as an argument
import sys
class C:
    def count(self):
        return sys.getrefcount(self)
c = C()
print(c.count())
print(sys.getrefcount(c))
m = c.count
print(sys.getrefcount(c))
print(m())
