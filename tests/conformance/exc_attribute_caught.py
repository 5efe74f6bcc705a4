# AttributeError caught and printed
class P:
    def __init__(self):
        self.x = 1

p = P()
try:
    p.y
except AttributeError as e:
    print(e)
del p.x
try:
    print(p.x)
except AttributeError as e:
    print(e)
