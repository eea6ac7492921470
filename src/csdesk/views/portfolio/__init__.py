"""The Portfolio screen: the account list and its filters, and the page hosting the Account 360."""
