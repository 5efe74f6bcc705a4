# seed-style: a global list keeps objects alive until it is cleared
import gc
class Big:
    def __init__(self, n):
        self.data = list(range(n))
    def __del__(self):
        print("freed", len(self.data))
leak = []
def work():
    leak.append(Big(10))
    leak.append(Big(20))
work()
print("work done, kept", len(leak))
leak.clear()
print("cleared")
