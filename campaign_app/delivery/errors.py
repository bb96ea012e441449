"""How a delivery attempt can fail: for now (retry later) or for good (tell staff why)."""


class TransientDeliveryError(Exception):
    """The receiver could not take the message now: try again later."""


class PermanentDeliveryError(Exception):
    """The receiver refused the message for good: retrying would not help."""
