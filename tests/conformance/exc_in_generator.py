# an exception raised inside a generator reaches the consumer
def g():
    yield 1
    raise ValueError("from generator")
try:
    for x in g():
        print(x)
except ValueError as e:
    print("caught", e)
