# self inside __init__
import sys
class A:
    def __init__(self):
        print(sys.getrefcount(self))
a = A()
print(sys.getrefcount(a))
