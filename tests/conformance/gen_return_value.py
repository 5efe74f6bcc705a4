# a generator's return value ends the iteration
def g():
    yield 1
    return 5
def outer():
    r = yield from g()
    print("returned", r)
print(list(outer()))
