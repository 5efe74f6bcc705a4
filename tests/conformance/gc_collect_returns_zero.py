# repeated collections find nothing new
import gc
gc.collect()
print([gc.collect() for _ in range(3)])
