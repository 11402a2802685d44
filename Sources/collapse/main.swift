import CollapseKit
print("placeholder")
