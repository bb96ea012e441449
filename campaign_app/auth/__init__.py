"""Staff and organizer accounts: login, roles."""
