"""csdesk: offline account-planning desk for Customer Success Managers."""

__version__ = "0.1.0"
