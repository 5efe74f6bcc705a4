# assert statements
def check(x):
    assert x > 0, "x must be positive"
    return x
print(check(1))
try:
    check(-1)
except AssertionError as e:
    print("assert:", e)
assert 1 == 2
