# an infinite generator consumed partially
def naturals():
    n = 0
    while True:
        yield n
        n += 1
total = 0
for n in naturals():
    if n > 100:
        break
    total += n
print(total)
