"""The audit log: who did what on staff pages."""
