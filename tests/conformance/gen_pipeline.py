# chained generators
def numbers(n):
    for i in range(n):
        yield i
def squares(src):
    for x in src:
        yield x * x
def evens(src):
    for x in src:
        if x % 2 == 0:
            yield x
print(list(evens(squares(numbers(10)))))
