"""The Account 360 screen: header, tabs, details, health, ROI and tasks of one account."""
