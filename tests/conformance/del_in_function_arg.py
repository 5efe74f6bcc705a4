# an object created for an argument dies after the call
class D:
    def __del__(self):
        print("D freed")
def take(o):
    print("in take")
take(D())
print("after take")
