"""Members of Congress, their offices, ZIP → district rows, and the lookup that uses them."""
