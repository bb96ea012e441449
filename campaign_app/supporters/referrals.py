"""Referral codes: each supporter's share links carry one; actions they bring are counted."""

import re
import secrets

from sqlalchemy import select

from ..core.db import db
from .models import Supporter

CODE = re.compile(r"^[a-z0-9]{10}$")
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def ensure_referral_code(supporter: Supporter) -> str:
    """The supporter's code, made on first use (10 characters, no look-alikes). Flushes."""
    while supporter.referral_code is None:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        taken = db.session.scalar(select(Supporter.id).where(Supporter.referral_code == code))
        if taken is None:
            supporter.referral_code = code
            db.session.flush()
    return supporter.referral_code


def valid_code(code: str | None) -> str | None:
    return code if code and CODE.match(code) else None
