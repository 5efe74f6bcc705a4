# list, set and dict comprehensions
print([x * x for x in range(6)])
print(sorted({x % 3 for x in range(10)}))
print({x: x * x for x in range(4)})
print([c for c in "hello" if c != "l"])
x = "outer"
l = [x for x in range(3)]
print(x, l)
