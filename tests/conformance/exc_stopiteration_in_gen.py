# StopIteration inside a generator becomes RuntimeError (PEP 479)
def g():
    yield 1
    next(iter([]) if False else (x for x in []))
    yield 2
try:
    print(list(g()))
except RuntimeError as e:
    print("RuntimeError:", e)
