import sys
squares_list = [x * x for x in range(1000)]
squares_gen = (x * x for x in range(1000))
print(sys.getsizeof(squares_list))
print(sys.getsizeof(squares_gen))
print(sum(squares_gen))
print(sum(squares_gen))
def countdown(n):
    while n > 0:
        yield n
        n -= 1
print(list(countdown(5)))
g = countdown(3)
print(next(g), next(g), next(g), next(g, "done"))
print(sys.getsizeof(range(10)), sys.getsizeof(range(1000000)))
