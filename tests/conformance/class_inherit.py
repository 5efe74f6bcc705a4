# inheritance and method overriding
class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " makes a sound"
    def kind(self):
        return "animal"

class Dog(Animal):
    def speak(self):
        return self.name + " barks"

for a in [Animal("generic"), Dog("rex")]:
    print(a.speak(), a.kind())
print(issubclass(Dog, Animal), isinstance(Dog("x"), Animal))
