# Exceptions are objects with 3.12's layout: sizes, args, reference counts
# while handled, the fields __context__ / __cause__ / __suppress_context__,
# StopIteration.value, SystemExit.code, attributes in the instance dict.
import gc
import sys

e = ValueError('x')
print(sys.getsizeof(e), sys.getsizeof(BaseException()), sys.getsizeof(StopIteration(1)), gc.is_tracked(e))
print(e.args, repr(e), str(e), sys.getrefcount(e))

try:
    raise KeyError('k')
except KeyError as err:
    print(sys.getrefcount(err), sys.getsizeof(err), err.args, repr(err))


class MyError(Exception):
    pass


class WithInit(Exception):
    def __init__(self, code):
        self.code = code


m = MyError('a', 1)
print(sys.getsizeof(m), m.args, isinstance(m, Exception), issubclass(MyError, BaseException))
w = WithInit(7)
print(w.args, w.code, sys.getsizeof(w))

payload = [1, 2, 3]
print(sys.getrefcount(payload))
e2 = RuntimeError(payload)
print(sys.getrefcount(payload))
del e2
print(sys.getrefcount(payload))
si = StopIteration(payload)
print(sys.getrefcount(payload), si.value is payload)
del si

try:
    raise ValueError('a') from KeyError('b')
except ValueError as err:
    print(repr(err.__cause__), err.__suppress_context__, err.__context__)

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError('inner')
except ValueError as err:
    print(repr(err.__context__), err.__suppress_context__, err.__cause__)
    ctx = err.__context__
print(sys.getrefcount(ctx), type(ctx).__name__)
del ctx

try:
    raise TypeError('t') from None
except TypeError as err:
    print(err.__cause__, err.__suppress_context__)

x = SystemExit(3)
print(x.code, SystemExit().code, SystemExit(1, 2).code)
print(StopIteration().value, StopIteration(4, 5).value)
e = ValueError('q')
e.extra = 3
print(e.extra, e.__dict__)


def gen():
    yield 1
    return 'done'


def outer():
    r = yield from gen()
    print('returned', r)


print(list(outer()))
try:
    next(iter(()))
except StopIteration as s:
    print(repr(s.value), s.args)
