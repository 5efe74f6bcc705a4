# closing a suspended generator runs its finally block
def g():
    try:
        yield 1
        yield 2
    finally:
        print("finally in g")

x = g()
print(next(x))
x.close()
print("closed")
y = g()
print(next(y))
del y
print("deleted")
