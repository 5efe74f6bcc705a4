# user exception classes, raise and catch by base class
class AppError(Exception):
    pass

class NotFound(AppError):
    pass

def find(k):
    raise NotFound("no " + k)

try:
    find("x")
except AppError as e:
    print("caught", type(e).__name__, e)

try:
    raise ValueError
except ValueError as e:
    print("bare class:", repr(e))

try:
    raise TypeError("a", 1)
except TypeError as e:
    print(e)
    print(e.args)
raise NotFound("fatal")
