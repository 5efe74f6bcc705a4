a = [1, 2, 3]
b = a
c = list(a)
print(a == b, a is b, a == c, a is c)
print(id(a) == id(b), id(a) == id(c))
b.append(4)
print(a, c)
x = None
print(x is None, x == None)
t1 = (1, 2)
t2 = t1
print(t1 is t2)
e1 = []
e2 = []
print(e1 == e2, e1 is e2)
s = "abc"
print(s is s[:], s == s[:])
print(a[:] is a, a[:] == a)
