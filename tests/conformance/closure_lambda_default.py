# lambdas with default arguments capture values
fs = [lambda i=i: i * 10 for i in range(3)]
print([f() for f in fs])
add = lambda a, b=5: a + b
print(add(1), add(1, 2))
