# seed: "Example 2: Garbage Collection" — __del__ runs at `del`, by refcount
import gc

class Demo:
    def __del__(self):
        print("Object destroyed")

obj = Demo()
del obj  # Explicitly deleting the object

print(gc.collect())  # Forces garbage collection (nothing left to collect)
