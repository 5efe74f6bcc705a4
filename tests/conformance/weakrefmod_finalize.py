# weakref.finalize: called once when the referent dies, .alive, .detach(),
# calling it, and the pending ones at interpreter exit (newest first)
import weakref


class Obj:
    pass


def report(*args, **kwargs):
    print('finalizer', args, sorted(kwargs.items()))
    return 'result'


a = Obj()
f = weakref.finalize(a, report, 'a', key=1)
print(f.alive, f.atexit)
del a
print(f.alive, f())
b = Obj()
g = weakref.finalize(b, report, 'b')
print(g(), g(), g.alive)
c = Obj()
h = weakref.finalize(c, report, 'c')
det = h.detach()
print(det[0] is c, det[1] is report, det[2], det[3], h.alive, h.detach())
del c
print('c gone')
e1 = Obj()
e2 = Obj()
e3 = Obj()
weakref.finalize(e1, report, 'exit 1')
weakref.finalize(e2, report, 'exit 2')
skip = weakref.finalize(e3, report, 'not at exit')
skip.atexit = False
print(repr(weakref.finalize(Obj(), report, 'temp')).endswith('; dead>'))
print('end of program')
