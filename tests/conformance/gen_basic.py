# generators: next, exhaustion, for loops, send
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1

g = count(3)
print(next(g), next(g), next(g))
try:
    next(g)
except StopIteration:
    print("done")
print(list(count(5)))
print(sum(count(10)))
for x in count(2):
    print("x", x)

def echo():
    while True:
        v = yield
        print("got", v)

e = echo()
next(e)
e.send(1)
e.send("two")
