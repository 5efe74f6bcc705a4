# loops, conditions, break/continue/else
total = 0
for i in range(10):
    if i % 2 == 0:
        continue
    if i > 7:
        break
    total += i
print(total)
n = 0
while n < 5:
    n += 1
else:
    print("while else", n)
for x in []:
    pass
else:
    print("for else")
print(1 < 2 < 3, 1 < 3 < 2, not True, True and False, 0 or "x")
x = 5
print("big" if x > 3 else "small")
