# the loop variable rebinding frees the previous object
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)
for i in range(3):
    obj = D(i)
    print("made", i)
print("loop done")
