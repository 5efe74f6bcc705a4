# UnboundLocalError
def f():
    print(y)
    y = 1

try:
    f()
except UnboundLocalError as e:
    print(e)
