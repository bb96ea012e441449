"""Who is calling: the OSDI-API-Token header, checked against the stored hashes, and the
per-key rate limit.

With limits counted in Redis, each process keeps the keys it has seen, so a request costs
one Redis round trip and no key query. The keys' version stamp is read in that same round
trip. Revoking a key bumps the stamp once the revocation is committed, and every process
then reads its keys again, so a revoked key gets 401 at once everywhere. A kept key is also
read again after KEPT_FOR, in case the stamp was lost with Redis's data. With limits in the
database (the embedded default), or with Redis unreachable, every request reads its key.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, request
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ..core import ratelimit
from ..core.db import db
from ..core.time import utcnow
from .errors import ApiError
from .models import ApiKey, KeyScope

HEADER = "OSDI-API-Token"
#: last_used_at is written at most this often per key, so reads stay reads.
LAST_USE_PRECISION = timedelta(minutes=1)
#: The version stamp of the keys, bumped after each committed revocation.
STAMP = "api-keys"
#: How long a process trusts a key it keeps without reading it again (seconds).
KEPT_FOR = 60
#: session.info flag: this transaction revoked a key (the stamp is bumped after commit).
CHANGED = "api_keys_changed"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class CallerKey(KeyScope):
    """The calling key as its row says, kept by the process between requests."""

    id: int
    name: str
    scope: str
    last_used_at: datetime | None


@dataclass(frozen=True)
class _Kept:
    key: CallerKey
    stamp: str
    read_at: float


def find_key(token: str) -> ApiKey | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_token(token))).first()


def _kept() -> dict[str, _Kept]:
    return current_app.extensions.setdefault("alerta_api_keys", {})


def _unauthorized() -> ApiError:
    return ApiError(401, HEADER, "a valid, unrevoked API key is required in the "
                    f"{HEADER} header", headers={"WWW-Authenticate": HEADER})


def authenticate() -> CallerKey:
    """The request's key, counted against its rate limit; 401, 403 or 429 otherwise.
    Commits the hit and the last use when there is one to keep (a read has nothing else
    to commit; most reads of a busy key have neither)."""
    token = request.headers.get(HEADER, "")
    if not token or len(token) > 200:
        raise _unauthorized()
    digest = hash_token(token)
    config = current_app.config
    window, limit = config["API_LIMIT_WINDOW"], config["API_LIMIT_PER_KEY"]
    # The stamp is read before the key, so a revocation committed after this read bumps
    # the stamp past the one kept with it.
    limited, stamp = ratelimit.hit_and_read(f"api:{digest[:40]}", limit, window, STAMP)
    kept = _kept().get(digest)
    read_at = None  # when the key was read from its row in this request
    if stamp is not None and kept is not None and kept.stamp == stamp \
            and time.monotonic() - kept.read_at < KEPT_FOR:
        key = kept.key
    else:
        read_at = time.monotonic()
        row = find_key(token)
        if row is None or not row.is_active:
            _kept().pop(digest, None)
            ratelimit.clear_hits(f"api:{digest[:40]}")  # no counts kept for unknown tokens
            raise _unauthorized()
        key = CallerKey(id=row.id, name=row.name, scope=row.scope,
                        last_used_at=row.last_used_at)
    if limited:
        raise ApiError(429, None, f"this key made more than {limit} requests in {window} "
                       "seconds", headers={"Retry-After": str(window)})
    now = utcnow()
    touched = key.last_used_at is None or now - key.last_used_at > LAST_USE_PRECISION
    if touched:
        db.session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        key = CallerKey(id=key.id, name=key.name, scope=key.scope, last_used_at=now)
    if touched or ratelimit.counts_in_database():
        db.session.commit()
    if stamp is not None:
        _kept()[digest] = _Kept(key, stamp, read_at or kept.read_at)
    g.api_key = key
    return key


def require_write() -> CallerKey:
    key = g.api_key
    if not key.can_write:
        raise ApiError(403, HEADER, "this key may only read; writes need a read-write key")
    return key


def note_change(session: Session) -> None:
    """A key was revoked in this transaction: bump the stamp once it is committed."""
    session.info[CHANGED] = True


def _bump_after_commit(session: Session) -> None:
    if session.info.pop(CHANGED, None):
        ratelimit.bump_stamp(STAMP)


def _forget(session: Session, *args) -> None:
    session.info.pop(CHANGED, None)


def init_key_stamps() -> None:
    """Committed revocations bump the keys' stamp (every session, the app's and the CLI's)."""
    if not event.contains(Session, "after_commit", _bump_after_commit):
        event.listen(Session, "after_commit", _bump_after_commit)
        event.listen(Session, "after_rollback", _forget)
