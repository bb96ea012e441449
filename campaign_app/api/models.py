"""API keys, and the answers kept for Idempotency-Key replays."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.time import utcnow
from ..i18n.staff import lazy_staff_gettext

#: What a key may do, weakest first. `viewer` reads without contact data (as a viewer's
#: export), `read` reads everything, `read_write` also adds people, outreaches, signatures.
SCOPES = ("viewer", "read", "read_write")
SCOPE_LABELS = {"viewer": lazy_staff_gettext("Read, without emails and phone numbers"),
                "read": lazy_staff_gettext("Read"),
                "read_write": lazy_staff_gettext("Read and write")}


class KeyScope:
    """What a key's scope allows: shared by the row and the copy a process keeps."""

    scope: str

    @property
    def sees_contacts(self) -> bool:
        return self.scope != "viewer"

    @property
    def can_write(self) -> bool:
        return self.scope == "read_write"


class ApiKey(KeyScope, db.Model):
    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint("scope IN ('viewer', 'read', 'read_write')", name="scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10))
    #: SHA-256 of the key: the key itself is shown once and never stored.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The key's first characters, so staff can tell keys apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    created_by = relationship("User")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiKey {self.id} {self.scope}>"


class IdempotentAnswer(db.Model):
    """A write's answer under its Idempotency-Key: the same key gets the same answer."""

    __tablename__ = "api_idempotent_answers"
    __table_args__ = (UniqueConstraint("api_key_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    #: Method and path the key was first used with: the key may not be reused elsewhere.
    request_path: Mapped[str] = mapped_column(String(300))
    status_code: Mapped[int]
    body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<IdempotentAnswer {self.id}>"


class PersonIdentifier(db.Model):
    """An identifier a client gave a person (OSDI's `origin_system:id`, such as
    actionnetwork:abc-123): returned with the person, so a CRM finds its own record again.
    One identifier names one person; a person may carry several."""

    __tablename__ = "api_person_identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id"), index=True)
    identifier: Mapped[str] = mapped_column(String(255), unique=True)
    #: The key that first sent it.
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<PersonIdentifier {self.id} {self.identifier}>"
