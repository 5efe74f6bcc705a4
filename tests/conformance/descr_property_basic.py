# property: get, set, delete through the decorator chain, the instance dict
# never shadows it, access through the class, and the 3.12 error messages.
class Temperature:
    def __init__(self, c):
        self._c = c

    @property
    def celsius(self):
        """Degrees Celsius."""
        return self._c

    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("below absolute zero")
        self._c = v

    @celsius.deleter
    def celsius(self):
        print("deleting")
        del self._c

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32


t = Temperature(20)
print(t.celsius, t.fahrenheit)
t.celsius = 25
print(t.celsius, t.fahrenheit, t.__dict__)
t.__dict__['celsius'] = 'shadow'
print(t.celsius, t.__dict__['celsius'])
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
try:
    t.fahrenheit = 1
except AttributeError as e:
    print("AttributeError:", e)
try:
    del t.fahrenheit
except AttributeError as e:
    print("AttributeError:", e)
del t.celsius
print(t.__dict__)
try:
    t.celsius
except AttributeError as e:
    print("AttributeError:", e)
print(type(Temperature.celsius).__name__, Temperature.celsius.__doc__)
print(Temperature.celsius.fget.__name__, Temperature.celsius.fset.__name__, Temperature.celsius.fdel.__name__)
print(Temperature.fahrenheit.fset, Temperature.fahrenheit.__doc__)
print(isinstance(Temperature.celsius, property))
