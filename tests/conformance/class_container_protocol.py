# __len__, __getitem__, __contains__
class Bag:
    def __init__(self):
        self.items = [3, 1, 2]
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        return self.items[i]
    def __contains__(self, x):
        return x in self.items
b = Bag()
print(len(b), b[0], 2 in b, 9 in b, bool(b))
