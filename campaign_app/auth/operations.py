"""Writes on staff users."""

import logging

from sqlalchemy import func, select

from ..audit.operations import record_event
from ..core.db import db
from ..core.time import utcnow
from ..i18n.staff import staff_gettext
from .models import ROLES, User

log = logging.getLogger(__name__)


class UserChangeRefused(ValueError):
    """A change that would leave nobody able to manage users."""


def create_user(email: str, password: str, role: str, name: str = "") -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = User(email=email.strip().lower(), role=role, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log.info("user %s created with role %s", user.id, role)
    return user


def get_user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email.strip().lower())).first()


def set_password(user: User, password: str) -> None:
    user.set_password(password)
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    user = get_user_by_email(email)
    if user is None or not user.is_enabled or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def _other_enabled_admins(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.is_enabled.is_(True), User.id != user.id))


def change_role(user: User, role: str, *, by: User) -> None:
    """Set a user's role and audit it; the last enabled admin keeps theirs. Flushes."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if user.role == role:
        return
    if user.role == "admin" and _other_enabled_admins(user) == 0:
        raise UserChangeRefused(staff_gettext("The last admin can't lose the admin role."))
    record_event("user.role_changed", f"user {user.id} ({user.email})",
                 {"from": user.role, "to": role}, user=by)
    user.role = role
    db.session.flush()


def set_enabled(user: User, is_enabled: bool, *, by: User) -> None:
    """Enable or disable an account and audit it; nobody disables themselves. Flushes."""
    if user.is_enabled == is_enabled:
        return
    if not is_enabled and user.id == by.id:
        raise UserChangeRefused(staff_gettext("You can't disable your own account."))
    if not is_enabled and user.role == "admin" and _other_enabled_admins(user) == 0:
        raise UserChangeRefused(staff_gettext("The last admin can't be disabled."))
    record_event("user.enabled" if is_enabled else "user.disabled",
                 f"user {user.id} ({user.email})", user=by)
    user.is_enabled = is_enabled
    db.session.flush()
