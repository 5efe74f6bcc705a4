# nested loops with break
found = None
for i in range(5):
    for j in range(5):
        if i * j == 6:
            found = (i, j)
            break
    if found:
        break
print(found)
count = 0
i = 0
while i < 10:
    i += 1
    if i % 3:
        continue
    count += 1
print(count)
