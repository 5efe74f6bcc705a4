import sys
for n in [0, 1, 2 ** 30 - 1, 2 ** 30, 2 ** 60, 2 ** 90, 10 ** 100, -1, -(2 ** 40)]:
    print(sys.getsizeof(n), end=" ")
print()
f = 1
for i in range(1, 30):
    f *= i
print(f, len(str(f)))
print(2 ** 100, -(2 ** 64), 2 ** 64 // 3, 2 ** 64 % 1000)
print(10 ** 20 + 1, (10 ** 20) * (10 ** 20))
print(int("9" * 30) + 1)
print(hex(255), bin(5), oct(8), hex(-1), hex(2 ** 70))
