# NameError for an undefined name, with carets
x = 1
print(x)
print(undefined_name)
