# seed: creating an object and deleting the only reference to it
import sys

class MyClass:
    def __init__(self, value):
        self.value = value

    def __del__(self):
        print("freeing MyClass with value", self.value)

# Create an object
my_obj = MyClass(10)
print(sys.getrefcount(my_obj))
print(sys.getsizeof(my_obj))

# Delete the reference to the object
del my_obj
print("after del")
