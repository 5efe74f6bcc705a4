# an exception thrown into a generator delegating with yield from, uncaught: the traceback through both frames
def inner():
    yield 1
def outer():
    yield from inner()
g = outer()
next(g)
g.throw(ValueError("thrown"))
