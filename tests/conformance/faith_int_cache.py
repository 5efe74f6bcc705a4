# Small integers -5..256 are cached: every such value is the same object
a = 256
b = 256
print(a is b)
c = int("257")
d = int("257")
print(c is d, c == d)
e = -5
f = int("-5")
print(e is f)
g = int("-6")
h = int("-6")
print(g is h)
nums = [int(str(i)) for i in range(250, 260)]
same = [x is int(str(x)) for x in nums]
print(same)
print(id(a) == id(b), id(c) == id(d))
