# __del__ at exit still sees the module's globals: the dict is collected as a
# whole, so nothing has been set to None yet.
GREETING = "bye"
count = [0]
class T:
    def __init__(self, i):
        self.i = i
    def __del__(self):
        count[0] += 1
        print(GREETING, self.i, count[0])

items = [T(i) for i in range(3)]
single = T(99)
print("done")
