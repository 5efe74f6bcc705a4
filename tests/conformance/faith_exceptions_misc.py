def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError as e:
        print("caught:", e, type(e).__name__, e.args)
        return None
    finally:
        print("finally")
print(safe_div(1, 0), safe_div(4, 2))
try:
    int("abc")
except ValueError as e:
    print(repr(e))
try:
    {}["missing"]
except KeyError as e:
    print(repr(e), str(e), e.args)
try:
    [][1]
except IndexError as e:
    print(e)
try:
    None.attr
except AttributeError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
class MyError(Exception):
    def __init__(self, msg, code):
        super().__init__(msg, code)
        self.code = code
try:
    raise MyError("bad", 42)
except MyError as e:
    print(e, e.code, e.args, repr(e))
print(repr(Exception("a", 1)), str(Exception()), repr(ValueError("x")))
