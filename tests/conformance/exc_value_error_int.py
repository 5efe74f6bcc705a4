# int() of a bad string
try:
    int("abc")
except ValueError as e:
    print(e)
int("12x")
