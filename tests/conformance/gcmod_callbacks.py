# gc.callbacks: called with ("start" | "stop", info) around each collection
import gc

log = []


def cb(phase, info):
    log.append((phase, sorted(info.items())))


class Node:
    def __init__(self):
        self.me = self


gc.collect()
print(gc.callbacks)
gc.callbacks.append(cb)
Node()
Node()
n = gc.collect()
print(n)
for entry in log:
    print(entry)
log.clear()
gc.collect(0)
gc.collect(1)
for entry in log:
    print(entry)
gc.callbacks.remove(cb)
log.clear()
gc.collect()
print(log, gc.callbacks)


def cb2(phase, info):
    print('cb2', phase, info['generation'], info['collected'], info['uncollectable'])


gc.callbacks.append(cb2)
Node()
gc.collect(2)
gc.callbacks.clear()
print(len(gc.callbacks))
