# a dict cycle and an instance-dict cycle
import gc
gc.collect()
class O:
    pass
o = O()
o.d = {"o": o}
del o
print(gc.collect())
