# counting live instances with __init__ and __del__
class Tracked:
    live = 0
    def __init__(self):
        Tracked.live += 1
    def __del__(self):
        Tracked.live -= 1
items = [Tracked() for _ in range(5)]
print(Tracked.live)
del items[0]
print(Tracked.live)
items = None
print(Tracked.live)
