"""Records the layout of CPython 3.12's built-in exception types for
core/src/excobject.c (tests/core/test_iter.c, test_exc section).

    PYENV_VERSION=3.12.1 python3.12 tests/record/iters_exceptions.py > tests/fixtures/iters_exceptions.txt

Output: one fact per line, "<case> <value>". Never edit the output by hand.

  base.<Name>       the name of Name.__base__
  basicsize.<Name>  Name.__basicsize__
  size.<Name>       sys.getsizeof(Name(arg)) for a one-argument instance
  argrefs.<Name>    references the instance holds to its single argument
                    (the args tuple, plus value/code/msg fields)
  tracked.<Name>    gc.is_tracked(Name(arg))
  sub.basicsize / sub.size   a class derived from Exception in Python
"""
import gc
import sys

NAMES = [
    'BaseException', 'SystemExit', 'KeyboardInterrupt', 'GeneratorExit', 'Exception',
    'StopIteration', 'ArithmeticError', 'OverflowError', 'ZeroDivisionError', 'AssertionError',
    'AttributeError', 'ImportError', 'ModuleNotFoundError', 'LookupError', 'IndexError', 'KeyError',
    'MemoryError', 'NameError', 'UnboundLocalError', 'ReferenceError', 'RuntimeError',
    'NotImplementedError', 'RecursionError', 'SystemError', 'TypeError', 'ValueError', 'UnicodeError',
]
UNICODE = [('UnicodeDecodeError', b'x'), ('UnicodeEncodeError', 'x')]
print('# recorded by tests/record/iters_exceptions.py with Python %d.%d.%d' % sys.version_info[:3])
for name in NAMES:
    cls = getattr(__builtins__, name)
    print('base.%s %s' % (name, cls.__base__.__name__))
    print('basicsize.%s %d' % (name, cls.__basicsize__))
    arg = object()
    before = sys.getrefcount(arg)
    e = cls(arg)
    print('size.%s %d' % (name, sys.getsizeof(e)))
    print('argrefs.%s %d' % (name, sys.getrefcount(arg) - before))
    print('tracked.%s %d' % (name, gc.is_tracked(e)))
    del e


for name, obj in UNICODE:
    cls = getattr(__builtins__, name)
    print('base.%s %s' % (name, cls.__base__.__name__))
    print('basicsize.%s %d' % (name, cls.__basicsize__))
    print('size.%s %d' % (name, sys.getsizeof(cls('utf-8', obj, 0, 1, 'bad'))))


class MyError(Exception):
    pass


print('sub.basicsize %d' % MyError.__basicsize__)
print('sub.size %d' % sys.getsizeof(MyError('x')))
print('sub.weakref %d' % (MyError.__weakrefoffset__ != 0))
print('base.weakref %d' % (Exception.__weakrefoffset__ != 0))
print('base.dictoffset %d' % Exception.__dictoffset__)
