# two generators from one function run independently
def counter(start):
    while True:
        yield start
        start += 1
a = counter(0)
b = counter(100)
print(next(a), next(b), next(a), next(b), next(a))
