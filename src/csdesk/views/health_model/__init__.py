"""The Health model screen: a backtest of a health model against renewal outcomes."""
