# __del__ is inherited
class Base:
    def __del__(self):
        print("del", type(self).__name__)
class Child(Base):
    pass
c = Child()
del c
b = Base()
del b
