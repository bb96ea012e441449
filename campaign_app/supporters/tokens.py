"""Signed tokens that name a supporter: personal action links and unsubscribe links.

No supporter data travels in plain URLs: the token carries only an id, signed with the app's
secret, so a tampered token is refused and an expired personal link is simply ignored.
"""

from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PERSONAL_LINK_SALT = "alerta.personal-link"
UNSUBSCRIBE_SALT = "alerta.unsubscribe"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"], salt)


@lru_cache(maxsize=16)
def _serializer_for(secret_key: str, salt: str) -> URLSafeTimedSerializer:
    # A mailing signs two tokens per message: build each serializer once.
    return URLSafeTimedSerializer(secret_key, salt=salt)


def make_personal_token(supporter_id: int) -> str:
    return _serializer(PERSONAL_LINK_SALT).dumps(supporter_id)


def read_personal_token(token: str | None) -> int | None:
    """The supporter id, or None for a missing, forged, malformed or expired token."""
    return _read(token, PERSONAL_LINK_SALT, current_app.config["PERSONAL_LINK_MAX_AGE"])


def make_unsubscribe_token(supporter_id: int) -> str:
    return _serializer(UNSUBSCRIBE_SALT).dumps(supporter_id)


def read_unsubscribe_token(token: str | None) -> int | None:
    """Unsubscribe links never expire: a supporter may use one years later."""
    return _read(token, UNSUBSCRIBE_SALT)


def _read(token: str | None, salt: str, max_age: int | None = None) -> int | None:
    if not token or len(token) > 200:
        return None
    try:
        value = _serializer(salt).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, ValueError):
        return None
    return value if isinstance(value, int) else None
