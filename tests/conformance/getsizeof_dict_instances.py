# an instance's __dict__ and its size
import sys
class P:
    def __init__(self):
        self.a = 1
        self.b = 2
p = P()
print(sys.getsizeof(p))
p.c = 3
print(sys.getsizeof(p))
