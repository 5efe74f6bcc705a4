# closures with nonlocal
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc

c = counter()
print(c(), c(), c())
c2 = counter()
print(c2())
print(c.__closure__[0].cell_contents)
