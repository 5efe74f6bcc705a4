# zip(strict=True): the ValueError messages of 3.12 zip_next, when an argument ends early or late.
import sys
print(list(zip([1, 2], 'ab', strict=True)))
for args in (([1, 2, 3], [4, 5]), ([1, 2], [3, 4, 5]), ([1], [2], [3, 4]), ([1, 2], [3], [4, 5]), ([], []), ([1, 2, 3], (x for x in range(3)), 'abc')):
    try:
        print(list(zip(*args, strict=True)))
    except ValueError as e:
        print("ValueError:", e)
z = zip([1, 2], [3, 4], strict=True)
print(sys.getsizeof(z), next(z))
print(list(zip(strict=True)))
try:
    zip([1], bogus=1)
except TypeError as e:
    print("TypeError:", e)
print(list(zip([1, 2], [3], strict=False)))
