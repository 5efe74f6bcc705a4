# empty containers
import sys
print(sys.getsizeof([]), sys.getsizeof(()), sys.getsizeof({}), sys.getsizeof(set()), sys.getsizeof(""))
print(sys.getsizeof(list()), sys.getsizeof(tuple()), sys.getsizeof(dict()))
