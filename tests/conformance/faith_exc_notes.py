try:
    raise ValueError("bad value")
except ValueError as e:
    e.add_note("first note")
    e.add_note("second note")
    print(e.__notes__)
    print(e.args)
    print(str(e), repr(e))
e = KeyError("k", 2)
print(e.args, str(e), repr(e))
e = ValueError()
print(e.args, repr(str(e)), repr(e))
e = ValueError(1, "two", [3])
print(str(e), repr(e))
e = KeyError("only")
print(str(e), repr(e))
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("clean") from None
except ValueError as e:
    print(e.__suppress_context__, e.__cause__, type(e.__context__).__name__)
try:
    ValueError().add_note(5)
except TypeError as t:
    print(t)
def g():
    err = RuntimeError("with notes")
    err.add_note("hint: try again")
    raise err
g()
