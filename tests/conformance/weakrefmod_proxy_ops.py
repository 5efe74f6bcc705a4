# weakref.proxy forwards the container, iteration, number and truth slots to its referent
import weakref
class Bag:
    def __init__(self):
        self.items = [1, 2, 3]
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        return self.items[i]
    def __iter__(self):
        for x in self.items:
            yield x
    def __contains__(self, x):
        return x in self.items
    def __add__(self, other):
        return 'added ' + str(other)
    def __bool__(self):
        return False
b = Bag()
p = weakref.proxy(b)
print(p[1], list(p), 2 in p, 9 in p, p + 5, bool(p), 'yes' if p else 'no')
for x in p:
    print(x)
class Plain:
    pass
q = weakref.proxy(Plain())
try:
    q + 1
except TypeError as e:
    print('TypeError:', e)
except ReferenceError as e:
    print('ReferenceError:', e)
