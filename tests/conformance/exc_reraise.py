# bare raise inside an except re-raises the same exception
def f():
    try:
        1 / 0
    except ZeroDivisionError:
        print("handling")
        raise

try:
    f()
except ZeroDivisionError as e:
    print("outer", e)
f()
