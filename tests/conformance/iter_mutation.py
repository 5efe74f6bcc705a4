# A dict or set that changes size while iterated raises RuntimeError; a list
# iterator sees appends; an exhausted iterator stays exhausted.
d = {1: 'a'}
try:
    for k in d:
        d[k + 1] = 'b'
except RuntimeError as e:
    print('RuntimeError:', e)
print(d)

d = {1: 1, 2: 2}
try:
    for k in d:
        del d[2]
except RuntimeError as e:
    print('RuntimeError:', e)

d = {1: 1}
try:
    it = iter(d)
    next(it)
    d[5] = 5
    next(it)
except RuntimeError as e:
    print('RuntimeError:', e)

it = iter({1: 1, 2: 2})
next(it)
d2 = {}
s = {1}
try:
    for x in s:
        s.add(x + 1)
except RuntimeError as e:
    print('RuntimeError:', e)
print(sorted(s))

l = [1]
for x in l:
    if len(l) < 5:
        l.append(x + 1)
print(l)

l = [1, 2, 3]
it = iter(l)
print(next(it))
l.clear()
print(list(it), list(it))
l.extend([7, 8])
print(list(it))

it = iter([1, 2])
print(list(it), list(it), next(it, None))
r = reversed([1, 2, 3])
print(next(r), list(r), list(r))

e = enumerate('xy')
first = next(e)
second = next(e)
print(first, second, first is not second)
