# a __del__ that stores self resurrects the object; __del__ runs once
saved = []
class R:
    def __del__(self):
        print("del runs")
        saved.append(self)
r = R()
del r
print(len(saved))
saved.clear()
print("cleared")
