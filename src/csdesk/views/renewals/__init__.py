"""The Renewals screen: the renewal calendar and one renewal's detail."""
