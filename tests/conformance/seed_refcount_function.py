# seed: reference counts while passing an object to functions
import sys
def show(obj):
    print(sys.getrefcount(obj))
data = [1, 2, 3]
show(data)
alias = data
show(data)
del alias
show(data)
