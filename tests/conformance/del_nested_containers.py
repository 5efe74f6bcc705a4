# nested containers die inside out
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)
outer = [D(1), [D(2), D(3)], (D(4),)]
del outer
print("end")
