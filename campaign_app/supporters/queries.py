"""Reads of supporters that more than one caller needs."""

from sqlalchemy import select

from ..core.db import db
from .models import Supporter
from .operations import normalize_email


def supporter_id_by_email(email: str) -> int | None:
    return db.session.scalar(select(Supporter.id).where(
        Supporter.email == normalize_email(email)))
