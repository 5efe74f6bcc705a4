a = [3, 1, 4, 1, 5]
a.append(9)
a.extend([2, 6])
a.insert(0, 0)
print(a, len(a))
print(a.pop(), a.pop(0), a)
a.remove(1)
print(a, a.index(4), a.count(1))
b = a.copy()
b.reverse()
print(b, a is b, a == b[::-1])
a.clear()
print(a)
c = [[0] * 2 for _ in range(2)]
c[0][0] = 1
print(c)
d = [1, 2, 3]
d += [4]
d *= 2
print(d, d[1:5], 3 in d, d + [0])
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    d.index(99)
except ValueError as e:
    print(e)
print(list("abc"), list(range(2, 10, 3)), [1, 2] < [1, 3])
