for t in [lambda: {[]: 1}, lambda: {[]}, lambda: hash([]), lambda: {}.__setitem__ if False else None]:
    try:
        print(t())
    except TypeError as e:
        print("TypeError", e)
d = {}
try:
    d[[1]] = 2
except TypeError as e:
    print("TypeError", e)
try:
    print({1: 2}[[1]])
except TypeError as e:
    print("TypeError", e)
try:
    print([] in {1: 2})
except TypeError as e:
    print("TypeError", e)
try:
    print(dict([([1], 2)]))
except TypeError as e:
    print("TypeError", e)
