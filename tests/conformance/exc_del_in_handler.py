# the exception keeps the raising frame's locals alive until the handler ends
class R:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("free", self.n)

def fail(n):
    r = R(n)
    raise RuntimeError("fail " + str(n))

try:
    fail(1)
except RuntimeError as e:
    print("in handler", e)
print("after handler")
try:
    fail(2)
except RuntimeError:
    print("handler without name")
print("end")
