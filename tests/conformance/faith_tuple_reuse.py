import sys
t = (1, 2, 3)
u = (1, 2, 3)
print(t == u)
print(sys.getsizeof(()), sys.getsizeof((1,)), sys.getsizeof((1, 2)))
e1 = tuple()
e2 = ()
print(e1 is e2)
point = (3, 4)
x, y = point
print(x, y, point[::-1], point * 2)
nested = ((1, 2), (3, 4))
print(sum(a * b for a, b in nested))
print(tuple([1, 2]) + (3,), len(nested), nested.index((3, 4)), nested.count((1, 2)))
