# str() and repr() of exceptions
e = ValueError("bad value")
print(str(e), repr(e))
e2 = KeyError("k")
print(str(e2), repr(e2))
e3 = RuntimeError()
print(repr(str(e3)), repr(e3))
print(isinstance(e, Exception), isinstance(e, BaseException), isinstance(e, TypeError))
