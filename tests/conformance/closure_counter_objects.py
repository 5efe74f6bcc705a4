# closures as counters, each with its own cell
def make_counter():
    count = 0
    def step():
        nonlocal count
        count += 1
        return count
    return step
counters = [make_counter() for _ in range(3)]
for c in counters:
    c()
counters[0]()
print([c() for c in counters])
