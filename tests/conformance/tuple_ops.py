# tuples
t = (1, 2, 3)
print(t + (4,), t * 2, t[1:], len(t), 2 in t)
a, b, c = t
print(a + b + c)
print(tuple([5, 6]), tuple(range(3)), ())
nested = ((1, 2), (3, 4))
for x, y in nested:
    print(x * y)
