"""Supporters: the people who act, upserted by normalized email."""
