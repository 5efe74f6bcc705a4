# finally runs after return value is computed
def f():
    x = "value"
    try:
        return x
    finally:
        x = "changed"
        print("finally sees", x)
print(f())
