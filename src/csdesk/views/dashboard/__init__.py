"""The Dashboard screen: portfolio KPI tiles and charts."""
