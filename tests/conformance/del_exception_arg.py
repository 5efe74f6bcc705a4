# an exception holding an object keeps it until the exception dies
class D:
    def __del__(self):
        print("D freed")
try:
    raise ValueError(D())
except ValueError:
    print("handling")
print("after")
