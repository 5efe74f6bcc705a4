# A property getter that raises: the traceback runs through the getter; a
# setter raising; an AttributeError from inside a getter.
class Account:
    def __init__(self):
        self._balance = 0

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, v):
        if v < 0:
            raise ValueError("negative balance")
        self._balance = v

    @property
    def broken(self):
        return self.missing


a = Account()
try:
    a.balance = -1
except ValueError as e:
    print("ValueError:", e)
try:
    a.broken
except AttributeError as e:
    print("AttributeError:", e)
print(hasattr(a, "broken"), getattr(a, "broken", "default"), getattr(a, "balance"))


class Sensor:
    @property
    def reading(self):
        return 1 / 0


Sensor().reading
