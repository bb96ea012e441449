"""A supporter's rights over their data: erasure and access on request, and retention.

It sits above every feature that stores something about a supporter (actions, submissions,
the outbox, mailings), since erasing or gathering a person's data reads and writes all of them.
"""
