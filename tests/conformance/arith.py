# arithmetic on ints and floats
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 2 ** 100)
print(7 / 2, 1 / 3, 0.1 + 0.2, 1e20 * 10, 3.0 * 2)
print(-5, abs(-5), abs(-2.5), 10 - 3.5, 2 * 3.5)
print(round(2.5), round(3.5), round(2.675, 2), divmod(17, 5))
print(1 << 40, 255 >> 3, 6 & 3, 6 | 3, 6 ^ 3, ~5)
print(int("42") + 1, float("1.5"), int(3.9), str(12) + "!")
print(max(3, 9, 2), min([4, 1, 7]), sum([1, 2, 3]))
