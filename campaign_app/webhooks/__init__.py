"""Signed webhooks (Standard Webhooks): events written to an outbox with the change they
report, then sent to the endpoints admins registered, with retries."""
