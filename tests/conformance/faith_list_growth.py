import sys
lst = []
prev = sys.getsizeof(lst)
print(f"len={len(lst):>3} size={prev}")
for i in range(40):
    lst.append(i)
    size = sys.getsizeof(lst)
    if size != prev:
        print(f"len={len(lst):>3} size={size} (+{size - prev})")
        prev = size
print(sys.getsizeof([1, 2, 3]), sys.getsizeof(list(range(3))), sys.getsizeof([0] * 3))
