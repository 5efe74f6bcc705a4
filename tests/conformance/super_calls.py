# super().method(), super(C, self).method(), super().__init__ / __del__ chains, object and Exception bases
import sys
class Animal:
    def __init__(self, name):
        self.name = name
        print("Animal init", name)
    def speak(self):
        return "..."
    def describe(self, prefix=""):
        return prefix + self.name + " says " + self.speak()
    def __del__(self):
        print("Animal del", self.name)
class Dog(Animal):
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def speak(self):
        return "Woof (" + super().speak() + ")"
    def describe(self, prefix=""):
        base = super(Dog, self).describe(prefix=prefix)
        return base + " [" + self.breed + "]"
    def __del__(self):
        print("Dog del", self.name)
        super().__del__()
class Puppy(Dog):
    def speak(self):
        s = super().speak
        return "Yip " + s()
d = Dog("rex", "lab")
print(d.describe(">"))
p = Puppy("bit", "pug")
print(p.describe())
del d
del p
class E(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code
try:
    raise E(3, "bad")
except E as e:
    print(e, e.code, e.args, repr(e))
class Plain:
    def __init__(self):
        super().__init__()
        print("plain ok")
    def __repr__(self):
        return "Plain!" + str(type(super().__repr__()))
    def set(self, k, v):
        print("set", k)
        super().__setattr__(k, v)
x = Plain()
print(repr(x))
x.set('a', 1)
print(x.a)
class A:
    def f(self):
        return "A.f"
class B(A):
    def f(self):
        return "B>" + super().f()
    def g(self):
        return super().missing()
b = B()
print(b.f())
try:
    b.g()
except AttributeError as e:
    print(e)
class Q:
    def __init__(self, v):
        super().__init__(v)
try:
    Q(1)
except TypeError as e:
    print(e)
class Counter:
    def __init__(self):
        self.n = 0
class Sub(Counter):
    def __init__(self):
        super().__init__()
        print(sys.getrefcount(self))
Sub()
