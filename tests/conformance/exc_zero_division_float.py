# float division by zero
x = 1.0
try:
    x / 0
except ZeroDivisionError as e:
    print(e)
print(x % 0)
