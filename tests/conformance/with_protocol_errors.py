# objects without __enter__/__exit__, and __enter__ raising
class NoExit:
    def __enter__(self):
        return self
def go():
    with NoExit():
        pass
try:
    go()
except TypeError as e:
    print(e)
try:
    with 5:
        pass
except TypeError as e:
    print(e)
class Bad:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, *a):
        print("never")
with Bad():
    print("never")
