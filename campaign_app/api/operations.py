"""Writes of the API: keys (created, revoked) and the answers kept for Idempotency-Key."""

import logging
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.operations import record_event
from ..core.db import db
from ..core.time import utcnow
from .errors import ApiError
from .keys import hash_token, note_change
from .models import SCOPES, ApiKey, IdempotentAnswer, PersonIdentifier
from .queries import identifier_owner

log = logging.getLogger(__name__)
TOKEN_PREFIX = "alerta_"  # noqa: S105 - a label, not a secret


def create_api_key(name: str, scope: str, *, by) -> tuple[ApiKey, str]:
    """A new key and its token: the token is shown once and only its hash is kept.
    Audited. Flushes."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name.strip()[:100], scope=scope, key_hash=hash_token(token),
                 prefix=token[:12], created_by_id=by.id if by else None)
    db.session.add(key)
    db.session.flush()
    record_event("api_key.created", f"API key {key.id} ({key.name})",
                 {"scope": scope, "prefix": key.prefix}, user=by)
    log.info("API key %s created (%s)", key.id, scope)
    return key, token


def revoke_api_key(key: ApiKey, *, by) -> bool:
    """From now on the key gets 401. Audited. Returns whether anything changed."""
    if key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    db.session.flush()
    note_change(db.session())  # processes that keep the key read it again after the commit
    record_event("api_key.revoked", f"API key {key.id} ({key.name})", {}, user=by)
    log.info("API key %s revoked", key.id)
    return True


def stored_answer(key: ApiKey, idempotency_key: str) -> IdempotentAnswer | None:
    return db.session.scalars(select(IdempotentAnswer).where(
        IdempotentAnswer.api_key_id == key.id,
        IdempotentAnswer.idempotency_key == idempotency_key)).first()


def keep_answer(key: ApiKey, idempotency_key: str, request_path: str, status_code: int,
                body: dict) -> bool:
    """Keep a write's answer under its key, in the write's transaction. False when another
    request with the same key got there first (the caller rolls back and replays that)."""
    try:
        with db.session.begin_nested():
            db.session.add(IdempotentAnswer(api_key_id=key.id, idempotency_key=idempotency_key,
                                            request_path=request_path[:300],
                                            status_code=status_code, body=body))
    except IntegrityError:
        return False
    return True


def add_identifiers(supporter, identifiers: list[str], key: ApiKey,
                    field: str = "person.identifiers") -> list[str]:
    """Keep the identifiers a client gave this person (those not kept yet); returns the new
    ones. An identifier already naming another person is refused (422 naming it): one
    identifier, one person. Flushes."""
    owners = identifier_owner(identifiers)
    for position, identifier in enumerate(identifiers):
        owner = owners.get(identifier)
        if owner is not None and owner != supporter.id:
            raise ApiError(422, f"{field}[{position}]",
                           f"{identifier} already names another person")
    new = []
    for identifier in dict.fromkeys(identifiers):
        if identifier in owners:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(PersonIdentifier(supporter_id=supporter.id,
                                                identifier=identifier, api_key_id=key.id))
        except IntegrityError:  # another request kept it first: for this person, or not
            if identifier_owner([identifier]).get(identifier) != supporter.id:
                raise ApiError(422, f"{field}[{identifiers.index(identifier)}]",
                               f"{identifier} already names another person") from None
            continue
        new.append(identifier)
    return new
