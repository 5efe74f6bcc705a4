# throw() and close() through yield from: the delegate sees the exception first, its finally runs before the outer one
def inner():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("inner caught", e)
        yield "inner recovered"
        return "inner done"
    finally:
        print("inner finally")
def outer():
    try:
        r = yield from inner()
        print("outer got", r)
        yield "outer next"
    finally:
        print("outer finally")
g = outer()
print(next(g))
print(g.throw(ValueError("v")))
print(next(g))
g.close()
print("--")
g = outer()
next(g)
g.close()
print("--")
g = outer()
next(g)
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("propagated", repr(e))
print("--")
def inner2():
    yield 1
    return 7
def outer2():
    x = yield from inner2()
    print("x", x)
    yield x
g = outer2()
next(g)
print(next(g))
def chain(*its):
    for it in its:
        yield from it
c = chain([1, 2], (3,), range(4, 6))
print(list(c))
c = chain(inner(), [9])
print(next(c))
c.close()
print("end")
