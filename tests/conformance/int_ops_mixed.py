# int and float mixing
print(1 + 2.0, 3 * 0.5, 7 / 7, 2 ** -1, 10 // 3.0, 10 % 3.5, -7 // 2.0)
print(int(7.9), int(-7.9), float(3), 1 == 1.0, 2 < 2.5, 3 >= 3.0)
print(True + 1, False * 2.5, abs(-0.0))
