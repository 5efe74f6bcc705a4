# keyword arguments, defaults, *args and **kwargs
def f(a, b=2, *rest, c=3, **kw):
    return (a, b, rest, c, sorted(kw.items()))
print(f(1))
print(f(1, 5, 6, 7, c=9, z=1, y=2))
print(f(a=10, b=20))
def g(x, y):
    return x - y
print(g(y=1, x=5))
