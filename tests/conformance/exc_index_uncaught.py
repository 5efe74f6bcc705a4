# an uncaught IndexError from a subscript
items = [1, 2, 3]
i = 3
print(items[i - 1])
print(items[i])
