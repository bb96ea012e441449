"""Mailings: the alert email and its reminders, sent to a segment exactly once per supporter."""
