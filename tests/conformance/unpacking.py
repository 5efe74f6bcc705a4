# assignment forms
a = b = c = 5
print(a, b, c)
x, (y, z) = 1, (2, 3)
print(x, y, z)
[p, q] = "pq"
print(p, q)
l = [1, 2, 3]
l[0], l[2] = l[2], l[0]
print(l)
d = {}
d["a"] = d["b"] = 0
print(d)
