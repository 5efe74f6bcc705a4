def make_counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c = make_counter()
print(c(), c(), c(5))
print(c.__closure__[0].cell_contents)
def make_adders():
    return [lambda x, n=n: x + n for n in range(3)]
print([f(10) for f in make_adders()])
def outer():
    data = [1, 2, 3]
    def inner():
        return sum(data)
    return inner
g = outer()
print(g(), len(g.__closure__), type(g.__closure__[0]).__name__)
print(g.__name__, g.__qualname__)
