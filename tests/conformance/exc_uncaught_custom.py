# an uncaught user exception
class Oops(Exception):
    pass
def f():
    raise Oops("something went wrong")
print("start")
f()
