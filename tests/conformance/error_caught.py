# exceptions caught and printed; finally runs; the exception object dies after the handler
import sys

class Res:
    def __del__(self):
        print("Res freed")

def f(n):
    r = Res()
    if n > 2:
        raise ValueError("too big: " + str(n))
    return n * 2

for n in [1, 3]:
    try:
        print(f(n))
    except ValueError as e:
        print("caught", e)
    finally:
        print("finally", n)
print(sys.getrefcount(f))
