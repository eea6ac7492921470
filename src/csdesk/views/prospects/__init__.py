"""The Prospects screen: scorecards, cohorts and pilot planning."""
