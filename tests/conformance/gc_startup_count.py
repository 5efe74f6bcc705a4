# The collector as `python3.12 FILE.py` hands it to a script: start-up ran
# four gen-0 collections and allocated since (reference 9.2 calls these
# figures environment-dependent; pyheap models this installation's 3.12.1).
import gc
print(gc.get_count())
