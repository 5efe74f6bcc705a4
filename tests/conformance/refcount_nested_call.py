# references while nested calls run
import sys
def inner(o):
    return sys.getrefcount(o)
def outer(o):
    return inner(o)
x = []
print(outer(x))
