# nested try blocks and re-raising to the outer one
def f(x):
    try:
        try:
            return 10 // x
        except ZeroDivisionError:
            print("inner")
            raise
        finally:
            print("inner finally")
    except ArithmeticError as e:
        print("outer", type(e).__name__)
        return -1
print(f(2))
print(f(0))
