# kinds of str by widest character
import sys
print(sys.getsizeof("abc"), sys.getsizeof("abcé"), sys.getsizeof("abc€"), sys.getsizeof("abc😀"))
