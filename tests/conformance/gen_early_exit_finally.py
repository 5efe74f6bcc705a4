# breaking out of a for loop over a generator closes it when it dies
def g():
    try:
        for i in range(10):
            yield i
    finally:
        print("generator cleanup")
for x in g():
    if x == 2:
        break
print("after loop")
