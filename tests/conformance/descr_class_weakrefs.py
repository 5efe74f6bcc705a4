# Issue 4: every class is in its base's subclass table through a weak
# reference (3.12 add_subclass), so a fresh class already has one weakref;
# weakref.ref(cls) reuses it; __subclasses__ follows creation and death;
# gc.collect() of a dead class counts what 3.12 counts.
import gc
import weakref

gc.collect()


class Animal:
    pass


print(weakref.getweakrefcount(Animal), len(weakref.getweakrefs(Animal)))
r = weakref.ref(Animal)
print(weakref.getweakrefcount(Animal), weakref.getweakrefs(Animal)[0] is r, r() is Animal)
print(Animal.__subclasses__())


class Dog(Animal):
    def speak(self):
        return "woof"


class Cat(Animal):
    @property
    def sound(self):
        return "meow"

    @classmethod
    def make(cls):
        return cls()


class Kitten(Cat):
    pass


print(Animal.__subclasses__(), Cat.__subclasses__(), Dog.__subclasses__())
print([weakref.getweakrefcount(c) for c in (Animal, Dog, Cat, Kitten)])
rd = weakref.ref(Dog)
print(rd is weakref.getweakrefs(Dog)[0], weakref.getweakrefcount(Dog))
del Dog
print(gc.collect(), rd(), Animal.__subclasses__())
del Kitten
print(gc.collect(), Cat.__subclasses__())
k = Cat.make()
del Cat
print(gc.collect(), [c.__name__ for c in Animal.__subclasses__()], type(k).sound.fget(k))
del k
print(gc.collect(), Animal.__subclasses__())
del Animal
print(gc.collect(), r())


def make_class(i):
    class Local:
        n = i
    return Local


classes = [make_class(i) for i in range(3)]
print([weakref.getweakrefcount(c) for c in classes])
del classes
print(gc.collect())
