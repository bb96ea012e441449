"""The public action page: a supporter finds their members, calls, and reports how it went."""
