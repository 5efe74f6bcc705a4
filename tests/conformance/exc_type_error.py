# TypeError from an operator
a = 1
b = "two"
print("before")
c = a + b
