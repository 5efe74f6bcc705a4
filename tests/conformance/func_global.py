# global statements
counter = 0
def inc():
    global counter
    counter += 1
for _ in range(5):
    inc()
print(counter)
def read():
    return counter * 2
print(read())
