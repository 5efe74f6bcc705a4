s = "abcdefghij"
print(s[-1], s[-3:], s[:-3], s[::2], s[1::3], s[::-1], s[-2:-6:-1], s[8:2:-2])
a = list(range(10))
print(a[-1], a[2:8:2], a[::-3], a[100:], a[-100:2])
a[1:3] = ["x", "y", "z"]
print(a)
del a[::2]
print(a)
a[::2] = [0] * len(a[::2])
print(a)
t = tuple(range(6))
print(t[1:-1], t[::-2])
try:
    s[20]
except IndexError as e:
    print(e)
try:
    a[::2] = [1]
except ValueError as e:
    print(e)
