# At exit __main__'s dict is garbage in a cycle with A's methods: the final
# collection finalizes every instance in allocation order, not name order.
class A:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)

b = A(1)
a = A(2)
c = A(3); c.me = c
d = A(4); e = A(5); d.o = e; e.o = d
x = [A(6)]
_private = A(7)
a2 = a
print("end of module")
