"""The outbox: every outbound message (to a supporter or to Congress) as a Delivery row."""
