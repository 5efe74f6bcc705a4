# class attributes shared by instances
class Counter:
    count = 0
    def __init__(self):
        Counter.count += 1
a = Counter()
b = Counter()
print(Counter.count, a.count)
