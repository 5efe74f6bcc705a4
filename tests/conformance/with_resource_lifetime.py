# with blocks and object lifetimes: when __del__ runs relative to __exit__, the 'as' name keeping the object
import sys
class Resource:
    def __init__(self, name):
        print("open", name)
        self.name = name
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        print("close", self.name, sys.getrefcount(self))
        return False
    def __del__(self):
        print("del", self.name)
with Resource("a") as r:
    print("using", r.name, sys.getrefcount(r))
print("after with, r still bound")
del r
with Resource("b"):
    print("anonymous")
print("after b")
def use():
    with Resource("c") as c:
        return c.name
print(use())
class Holder:
    def __enter__(self):
        self.items = [Resource("d"), Resource("e")]
        return self.items
    def __exit__(self, t, v, tb):
        self.items.clear()
        print("cleared")
with Holder() as items:
    print(len(items))
print("end")
