"""Who is calling: the OSDI-API-Token header, checked against the stored hashes, and the
per-key rate limit."""

import hashlib
from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import select

from ..core import ratelimit
from ..core.db import db
from ..core.time import utcnow
from .errors import ApiError
from .models import ApiKey

HEADER = "OSDI-API-Token"
#: last_used_at is written at most this often per key, so reads stay reads.
LAST_USE_PRECISION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_key(token: str) -> ApiKey | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_token(token))).first()


def authenticate() -> ApiKey:
    """The request's key, counted against its rate limit; 401, 403 or 429 otherwise.
    Commits the hit and the last use when there is one to keep (a read has nothing else
    to commit; most reads of a busy key have neither)."""
    key = find_key(request.headers.get(HEADER, ""))
    if key is None or not key.is_active:
        raise ApiError(401, HEADER, "a valid, unrevoked API key is required in the "
                       f"{HEADER} header", headers={"WWW-Authenticate": HEADER})
    config = current_app.config
    window = config["API_LIMIT_WINDOW"]
    if ratelimit.hit(f"api:{key.id}", config["API_LIMIT_PER_KEY"], window):
        raise ApiError(429, None, f"this key made more than {config['API_LIMIT_PER_KEY']} "
                       f"requests in {window} seconds", headers={"Retry-After": str(window)})
    now = utcnow()
    touched = key.last_used_at is None or now - key.last_used_at > LAST_USE_PRECISION
    if touched:
        key.last_used_at = now
    if touched or ratelimit.counts_in_database():
        db.session.commit()
    g.api_key = key
    return key


def require_write() -> ApiKey:
    key = g.api_key
    if not key.can_write:
        raise ApiError(403, HEADER, "this key may only read; writes need a read-write key")
    return key
