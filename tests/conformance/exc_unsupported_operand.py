# TypeError from mixing types
try:
    [] + ()
except TypeError as e:
    print(e)
try:
    "a" * "b"
except TypeError as e:
    print(e)
try:
    1 < "a"
except TypeError as e:
    print(e)
print(len(5))
