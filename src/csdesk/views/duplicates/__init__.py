"""The "Possible duplicates" screen: accounts sharing a name or a website, and merging them."""
