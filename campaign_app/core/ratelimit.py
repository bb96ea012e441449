"""A small sliding-window rate limiter that every web process shares.

Counts live in Redis when RATELIMIT_STORAGE_URL names one (a cluster), otherwise in the
database (the embedded default needs no server). Callers see one interface: is_limited,
record_hit, clear_hits. A Redis outage lets requests through: a limiter must never be the
reason a supporter's action is lost.
"""

import hashlib
import logging
import secrets
import time
from datetime import datetime, timedelta

import redis
from flask import Flask, current_app
from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from .db import db
from .time import utcnow

log = logging.getLogger(__name__)


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


#: Hits older than this are dropped whatever their key, so the table stays small.
KEEP_SECONDS = 24 * 3600


class DatabaseCounts:
    """Hits as rows; record_hit flushes and the caller's commit keeps them."""

    def count(self, key: str, window_seconds: int) -> int:
        since = utcnow() - timedelta(seconds=window_seconds)
        return db.session.scalar(select(func.count()).where(
            RateLimitHit.key == key, RateLimitHit.created_at >= since))

    def add(self, key: str, window_seconds: int) -> None:
        since = utcnow() - timedelta(seconds=window_seconds)
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == key,
                                                      RateLimitHit.created_at < since))
        db.session.execute(delete(RateLimitHit).where(
            RateLimitHit.created_at < utcnow() - timedelta(seconds=KEEP_SECONDS)))
        db.session.add(RateLimitHit(key=key))
        db.session.flush()

    def clear(self, key: str) -> None:
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == key))
        db.session.flush()

    def hit_and_read(self, key: str, limit: int, window_seconds: int,
                     stamp: str) -> tuple[bool, str | None]:
        """`hit`, and no stamp: the database keeps none (callers read their own)."""
        return self.hit(key, limit, window_seconds), None

    def bump(self, stamp: str) -> None:
        """Nothing to bump: no stamp is kept here."""

    def hit(self, key: str, limit: int, window_seconds: int) -> bool:
        if self.count(key, window_seconds) >= limit:
            return True
        self.add(key, window_seconds)
        return False


class RedisCounts:
    """Hits as members of a sorted set per key, scored by time; the key expires with its
    window, so Redis holds nothing for addresses that went quiet."""

    PREFIX = "alerta:ratelimit:"
    #: Version stamps: a caller that keeps something per process (API keys) reads its
    #: stamp with each hit, and a change bumps it.
    STAMPS = "alerta:stamp:"

    def __init__(self, url: str):
        self.redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._hit_script = self.redis.register_script(self.HIT)

    def count(self, key: str, window_seconds: int) -> int:
        now = time.time()
        try:
            pipe = self.redis.pipeline()
            pipe.zremrangebyscore(self.PREFIX + key, 0, now - window_seconds)
            pipe.zcard(self.PREFIX + key)
            return pipe.execute()[1]
        except redis.RedisError as exc:
            log.warning("rate limit store unavailable, not limiting: %s", exc)
            return 0

    def add(self, key: str, window_seconds: int) -> None:
        now = time.time()
        try:
            pipe = self.redis.pipeline()
            pipe.zadd(self.PREFIX + key, {f"{now:.6f}:{secrets.token_hex(4)}": now})
            pipe.expire(self.PREFIX + key, window_seconds)
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("rate limit store unavailable, hit not counted: %s", exc)

    def hit(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count and record in one round trip; a request over the limit is not counted."""
        return self._hit(key, limit, window_seconds)[0]

    def hit_and_read(self, key: str, limit: int, window_seconds: int,
                     stamp: str) -> tuple[bool, str | None]:
        """`hit`, and the value of the version stamp `stamp` ("0" before its first bump),
        in the same round trip; the stamp is None when Redis could not be read."""
        return self._hit(key, limit, window_seconds, stamp)

    #: `_hit` as one script, atomic in Redis: drop the hits that left the window, count the
    #: rest, add this one unless the key is at its limit, renew the expiry, and read the
    #: stamp KEYS[2] if given. One command and one reply of two values: as a MULTI pipeline
    #: it was seven replies, whose parsing was most of an API request's time in redis-py.
    HIT = """
    redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[2])
    local limited = redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3])
    if not limited then redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4]) end
    redis.call('EXPIRE', KEYS[1], ARGV[5])
    local stamp = false
    if KEYS[2] then stamp = redis.call('GET', KEYS[2]) end
    return {limited and 1 or 0, stamp}
    """

    def _hit(self, key: str, limit: int, window_seconds: int,
             stamp: str | None = None) -> tuple[bool, str | None]:
        """Count and record (not when over the limit, as in the database), and read `stamp`
        if given ("0" when not), in one round trip."""
        now = time.time()
        keys = [self.PREFIX + key] + ([self.STAMPS + stamp] if stamp is not None else [])
        try:
            limited, value = self._hit_script(keys=keys, args=[
                now, now - window_seconds, limit, f"{now:.6f}:{secrets.token_hex(4)}",
                window_seconds])
        except redis.RedisError as exc:
            log.warning("rate limit store unavailable, not limiting: %s", exc)
            return False, None
        return limited == 1, (value or b"0").decode()

    def bump(self, stamp: str) -> None:
        """A new value for the version stamp (after the change it stands for is committed).
        A failure is logged: readers of a stamp also expire what they keep by age."""
        try:
            self.redis.incr(self.STAMPS + stamp)
        except redis.RedisError as exc:
            log.warning("rate limit store unavailable, stamp %s not bumped: %s", stamp, exc)

    def clear(self, key: str) -> None:
        try:
            self.redis.delete(self.PREFIX + key)
        except redis.RedisError as exc:
            log.warning("rate limit store unavailable, hits not cleared: %s", exc)


def init_ratelimit(app: Flask) -> None:
    url = app.config.get("RATELIMIT_STORAGE_URL") or ""
    store = RedisCounts(url) if url.startswith(("redis://", "rediss://", "unix://")) \
        else DatabaseCounts()
    app.extensions["alerta_ratelimit"] = store


def _store() -> DatabaseCounts | RedisCounts:
    return current_app.extensions["alerta_ratelimit"]


def counts_in_database() -> bool:
    """Whether hits are rows the caller must commit (else Redis kept them already)."""
    return isinstance(_store(), DatabaseCounts)


def is_limited(key: str, limit: int, window_seconds: int) -> bool:
    """True when `key` has `limit` or more hits within the window."""
    return _store().count(key, window_seconds) >= limit


def record_hit(key: str, window_seconds: int) -> None:
    """Count one hit (in the database: flushed, kept by the caller's commit)."""
    _store().add(key, window_seconds)


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """True when `key` is over its limit; otherwise counts this hit (in the database:
    flushed, kept by the caller's commit)."""
    return _store().hit(key, limit, window_seconds)


def hit_and_read(key: str, limit: int, window_seconds: int,
                 stamp: str) -> tuple[bool, str | None]:
    """`hit`, and the current value of the version stamp `stamp` read in the same round
    trip (None when the store keeps no stamps or could not be read)."""
    return _store().hit_and_read(key, limit, window_seconds, stamp)


def bump_stamp(stamp: str) -> None:
    """Change the version stamp `stamp`, so that what was kept under its old value is read
    again."""
    _store().bump(stamp)


def clear_hits(key: str) -> None:
    _store().clear(key)
