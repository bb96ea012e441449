"""Which supporters this browser proved to be, in this session.

A personal link (?t=…) or an unsubscribe link came in the supporter's own email: a browser
that opened one may see and update that supporter's stored data (DESIGN.md, Privacy). The
session remembers the last few, latest last; a browser that merely typed an email proves
nothing.
"""

from flask import session

from .models import Supporter
from .queries import supporter_id_by_email

PROVEN_KEY = "proven"
PROVEN_LIMIT = 5


def remember_proof(supporter: Supporter) -> None:
    proven = [known for known in session.get(PROVEN_KEY, []) if known != supporter.id]
    session[PROVEN_KEY] = [*proven, supporter.id][-PROVEN_LIMIT:]


def is_proven(email: str) -> bool:
    """Whether this browser proved to be the supporter with this email."""
    proven = session.get(PROVEN_KEY, [])
    return bool(proven) and supporter_id_by_email(email) in proven


def last_proven_id() -> int | None:
    proven = session.get(PROVEN_KEY, [])
    return proven[-1] if proven else None
