"""A small rate limiter kept in the database, so every web process sees the same counts."""

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from .db import db
from .time import utcnow


class RateLimitHit(db.Model):
    """One counted event (a failed login, a public form post) under a hashed key."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_key_created_at", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 'scope:' + a hash of the IP or email, so the table holds no addresses.
    key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RateLimitHit {self.key}>"


def limit_key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]
    return f"{scope}:{digest}"


def is_limited(key: str, limit: int, window_seconds: int) -> bool:
    """True when `key` has `limit` or more hits within the window."""
    since = utcnow() - timedelta(seconds=window_seconds)
    count = db.session.scalar(
        select(func.count()).where(RateLimitHit.key == key, RateLimitHit.created_at >= since))
    return count >= limit


#: Hits older than this are dropped whatever their key, so the table stays small.
KEEP_SECONDS = 24 * 3600


def record_hit(key: str, window_seconds: int) -> None:
    """Count one hit and drop hits that have left every window. Flushes."""
    since = utcnow() - timedelta(seconds=window_seconds)
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == key,
                                                  RateLimitHit.created_at < since))
    db.session.execute(delete(RateLimitHit).where(
        RateLimitHit.created_at < utcnow() - timedelta(seconds=KEEP_SECONDS)))
    db.session.add(RateLimitHit(key=key))
    db.session.flush()


def clear_hits(key: str) -> None:
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == key))
    db.session.flush()
