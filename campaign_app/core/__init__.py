"""Pieces every feature shares: the database base, time helpers, forms, the Celery bridge."""
