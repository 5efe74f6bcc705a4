# identity equality by default
class P:
    pass
a = P()
b = P()
print(a == a, a == b, a != b, a is a)
print([a, b].count(a), a in [b], a in [a])
