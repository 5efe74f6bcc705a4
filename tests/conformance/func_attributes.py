# function, code and class attributes: __name__, __qualname__, __doc__, __defaults__, __code__, __class__, __dict__
def greet(name, greeting="Hello", *, punct="!"):
    """Return a greeting."""
    return greeting + ", " + name + punct
print(greet.__name__, greet.__qualname__, greet.__doc__)
print(greet.__defaults__, greet.__kwdefaults__)
c = greet.__code__
print(c.co_name, c.co_qualname, c.co_argcount, c.co_kwonlyargcount, c.co_posonlyargcount)
print(c.co_varnames, c.co_nlocals, c.co_flags, c.co_firstlineno)
def outer():
    x = 1
    def inner(y):
        return x + y
    return inner
i = outer()
print(i.__name__, i.__qualname__, i.__code__.co_freevars, outer.__code__.co_cellvars)
class Shape:
    """A shape."""
    sides = 0
    def area(self):
        return 0
class Square(Shape):
    sides = 4
sq = Square()
print(Shape.__name__, Square.__name__, type(sq).__name__, sq.__class__, sq.__class__.__name__)
print(Shape.__doc__, Square.__doc__, Shape.area.__qualname__, Square.area.__name__)
sq.size = 3
print(sq.__dict__)
print(type(sq) is Square, sq.__class__ is Square, isinstance(sq, Shape))
lam = lambda x: x
print(lam.__name__, lam.__qualname__, lam.__doc__, lam.__defaults__)
def gen():
    yield 1
print(gen.__code__.co_flags & 0x20 != 0, gen().__name__, gen().__qualname__)
print(greet.__module__, Shape.__module__)
