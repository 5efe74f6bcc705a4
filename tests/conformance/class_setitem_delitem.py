# __setitem__ / __delitem__ of a class: d[k] = v and del d[k] call them
class Store:
    def __init__(self):
        self.log = []

    def __setitem__(self, key, value):
        self.log.append(('set', key, value))

    def __delitem__(self, key):
        self.log.append(('del', key))


class Plain:
    pass


s = Store()
s['a'] = 1
s[2] = [3]
del s['a']
print(s.log)
try:
    Plain()['x'] = 1
except TypeError as e:
    print('TypeError:', e)
