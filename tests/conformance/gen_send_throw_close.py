# generator send(), throw(), close(), GeneratorExit, yield inside try/finally, StopIteration.value
def echo():
    print("start")
    try:
        while True:
            try:
                x = yield
                print("got", x)
            except ValueError as e:
                print("caught", e)
                yield "recovered"
    finally:
        print("cleanup")
g = echo()
next(g)
g.send(1)
g.send("two")
print(g.throw(ValueError("bad")))
next(g)
g.close()
print("closed")
try:
    g.send(3)
except StopIteration:
    print("stop after close")

def averager():
    total = 0.0
    count = 0
    avg = None
    while True:
        term = yield avg
        total += term
        count += 1
        avg = total / count
a = averager()
next(a)
print(a.send(10), a.send(30), a.send(5))

def ret():
    x = yield 1
    return x * 2
r = ret()
next(r)
try:
    r.send(21)
except StopIteration as e:
    print("returned", e.value if hasattr(e, "value") else e.args)

def stubborn():
    for i in range(2):
        try:
            yield 1
        except GeneratorExit:
            print("ignoring")
s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)

def plain():
    yield 1
    yield 2
p = plain()
next(p)
try:
    p.throw(KeyError("k"))
except KeyError as e:
    print("propagated", repr(e))
try:
    next(p)
except StopIteration:
    print("finished")
q = plain()
try:
    q.send(5)
except TypeError as e:
    print(e)
q.close()
print(list(q))
def fin():
    try:
        yield 1
        yield 2
    finally:
        print("fin runs")
f = fin()
print(next(f))
del f
print("after del")
def thrower():
    try:
        yield 1
    except ZeroDivisionError:
        return "handled"
t = thrower()
next(t)
try:
    t.throw(ZeroDivisionError)
except StopIteration as e:
    print("stop", e)
def gen_closing():
    try:
        yield 1
    except GeneratorExit:
        print("exit seen")
        raise
c = gen_closing()
next(c)
c.close()
print("ok")
