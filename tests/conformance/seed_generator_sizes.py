# seed: a generator versus the list of its values
import sys
squares_list = [i * i for i in range(1000)]
squares_gen = (i * i for i in range(1000))
print(sys.getsizeof(squares_list))
print(sys.getsizeof(squares_gen))
print(sum(squares_gen) == sum(squares_list))
