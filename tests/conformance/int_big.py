# big integers
a = 2 ** 100
b = 3 ** 70
print(a, b)
print(a * b, a // 7, a % 1000007, -a)
print(a > b, a == 2 ** 100, (a - 1).bit_length() if False else 100)
print(10 ** 30 + 1)
