# seed article 003, literally: tracemalloc around "your code" (nothing allocated)
import tracemalloc
tracemalloc.start()
# ... your code ...
print(tracemalloc.get_traced_memory())
tracemalloc.stop()
