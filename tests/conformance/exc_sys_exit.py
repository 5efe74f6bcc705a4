# sys.exit with a status
import sys
print("before")
sys.exit(3)
print("never")
