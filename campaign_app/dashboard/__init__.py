"""Staff pages: live counts per alert."""
