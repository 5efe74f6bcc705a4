# list, dict, set, tuple operations
l = [3, 1, 2]
l.append(4)
l.sort()
print(l, l.pop(), l, l.index(2), 3 in l)
d = {"b": 2, "a": 1}
d["c"] = 3
print(d, d.get("z"), d.get("a"), list(d.keys()), len(d))
del d["b"]
print(d, "b" in d)
s = {1, 2, 3}
s.add(2)
s.add(4)
print(len(s), 4 in s)
t = (1, "a", None)
print(t, t[1], len(t))
a, b, c = t
print(a, b, c)
x, y = 1, 2
x, y = y, x
print(x, y)
print([i * 2 for i in range(5) if i != 2], {k: v for k, v in [("a", 1)]})
print(sorted([3, 1, 2], reverse=True), list(reversed([1, 2, 3])))
