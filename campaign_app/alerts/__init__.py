"""Alerts (campaigns): the appeal, targets, scripts, deadline and reminders."""
