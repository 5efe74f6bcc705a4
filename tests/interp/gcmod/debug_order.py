# the collector's stderr lines, __del__ output and gc.callbacks output in
# the order they happen (recorded unbuffered, stdout and stderr in one stream)
import gc


class Fin:
    def __init__(self):
        self.me = self

    def __del__(self):
        print('Fin.__del__')


def cb(phase, info):
    print('callback', phase, info['collected'])


gc.collect()
gc.callbacks.append(cb)
gc.set_debug(gc.DEBUG_STATS | gc.DEBUG_COLLECTABLE)
Fin()
print('collect ->', gc.collect())
gc.set_debug(0)
gc.callbacks.remove(cb)
print('end')
