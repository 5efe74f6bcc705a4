# next() with a default
def g():
    yield "only"
it = g()
print(next(it, "none"), next(it, "none"), next(it, "none"))
