"""A session carried in a signed token instead of a cookie: the embedded action pages'.

Browsers block cookies inside a cross-site iframe (Safari and Firefox by default), so an
embedded page keeps its state (the submission, the CSRF secret, the source) in a short-lived
itsdangerous token that travels in the query string of its links and form actions. The
views read and write `session` as on any page; this interface swaps where it lives.

Each token carries a nonce. A POST spends it (a row in embed_token_uses) and the answer
carries a new one: a token sent twice, by a replay or a resent form, is refused before the
view runs, so nothing is written twice.
"""

import secrets
import time
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .db import db
from .time import utcnow

#: The query parameter that carries the token.
PARAM = "embed"
SALT = "alerta.embed-session"
#: A token longer than this is not ours (a session grows to a few hundred bytes).
MAX_TOKEN_LENGTH = 4000
#: The paths whose requests may carry a token: the public action pages.
PATH_PREFIX = "/a/"


class EmbedTokenUse(db.Model):
    """A spent nonce: the token that carried it cannot post again."""

    __tablename__ = "embed_token_uses"

    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<EmbedTokenUse {self.nonce[:6]}…>"


class TokenSession(SecureCookieSession):
    """The session of one embedded visit: bound to an alert (`scope`) and a host origin.
    `problem` names why the token was refused ('forged', 'expired', 'replayed')."""

    def __init__(self, data=None, *, scope: int | None = None, origin: str = "",
                 nonce: str = "", minted_at: int = 0, problem: str | None = None):
        super().__init__(data or {})
        self.scope, self.origin, self.problem = scope, origin, problem
        self.nonce, self.minted_at = nonce, minted_at

    def renew_nonce(self) -> None:
        self.nonce, self.minted_at = secrets.token_hex(16), int(time.time())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def new_token_session(scope: int, origin: str, data: dict) -> TokenSession:
    """A fresh session for a visit that starts now; its CSRF secret is set at once, so
    every link of the first page carries the same state."""
    visit = TokenSession({"csrf_token": secrets.token_hex(20), **data}, scope=scope,
                         origin=origin)
    visit.renew_nonce()
    return visit


def dump_token(token_session: TokenSession) -> str:
    return _serializer().dumps({"a": token_session.scope, "o": token_session.origin,
                                "n": token_session.nonce, "m": token_session.minted_at,
                                "s": dict(token_session)})


def read_token(token: str) -> TokenSession:
    """The session the token carries, or an empty one whose `problem` says why not."""
    if len(token) > MAX_TOKEN_LENGTH:
        return TokenSession(problem="forged")
    try:
        data = _serializer().loads(token, max_age=current_app.config["EMBED_TOKEN_MAX_AGE"])
    except SignatureExpired:
        return TokenSession(problem="expired")
    except (BadSignature, ValueError):
        return TokenSession(problem="forged")
    if not (isinstance(data, dict) and isinstance(data.get("s"), dict)
            and isinstance(data.get("a"), int) and isinstance(data.get("n"), str)
            and isinstance(data.get("m"), int)):
        return TokenSession(problem="forged")
    # Every answer signs the token anew; its nonce still dies at the age limit, so a page
    # reloaded again and again cannot outlive the record that the nonce was spent.
    if time.time() - data["m"] > current_app.config["EMBED_TOKEN_MAX_AGE"]:
        return TokenSession(problem="expired")
    return TokenSession(data["s"], scope=data["a"], origin=str(data.get("o") or ""),
                        nonce=data["n"], minted_at=data["m"])


def spend_nonce(token_session: TokenSession) -> bool:
    """Mark the token's nonce used and give the session a new one; False when it was used
    already (a replay). Commits: the spending must hold whatever the view does next."""
    try:
        with db.session.begin_nested():
            db.session.add(EmbedTokenUse(nonce=token_session.nonce))
    except IntegrityError:
        return False
    # Spent nonces older than any live token are useless: the table stays small.
    oldest = utcnow() - timedelta(seconds=current_app.config["EMBED_TOKEN_MAX_AGE"])
    db.session.execute(delete(EmbedTokenUse).where(EmbedTokenUse.used_at < oldest))
    db.session.commit()
    token_session.renew_nonce()
    return True


def current_token_session() -> TokenSession | None:
    if has_request_context() and isinstance(session, TokenSession):
        return session
    return None


def current_token() -> str | None:
    """The token that carries this request's session as it is now (None: a cookie
    session)."""
    token_session = current_token_session()
    return dump_token(token_session) if token_session is not None and \
        token_session.problem is None else None


def with_token(url: str, token: str) -> str:
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != PARAM]
    return urlunsplit(parts._replace(query=urlencode([*query, (PARAM, token)])))


class TokenSessionInterface(SecureCookieSessionInterface):
    """Cookie sessions everywhere, except an action page's request that carries a token."""

    def open_session(self, app: Flask, request):
        token = request.args.get(PARAM) if request.path.startswith(PATH_PREFIX) else None
        if token is None:
            return super().open_session(app, request)
        return read_token(token)

    def save_session(self, app: Flask, session, response) -> None:
        if not isinstance(session, TokenSession):
            return super().save_session(app, session, response)
        # Never a cookie. A redirect to another action page carries the state onward.
        location = response.headers.get("Location")
        if session.problem is None and location and response.status_code in (
                301, 302, 303, 307, 308):
            parts = urlsplit(location)
            if (not parts.netloc or parts.netloc == request.host) and \
                    parts.path.startswith(PATH_PREFIX):
                response.headers["Location"] = with_token(location, dump_token(session))
        return None


def _add_token_to_links(endpoint: str, values: dict) -> None:
    """url_for of an action page, from a page with a token, keeps the visit in the token.
    A link meant to leave the embed (a share link) passes `embed=None`."""
    if endpoint.startswith("actions.") and PARAM not in values:
        token = current_token()
        if token is not None:
            values[PARAM] = token


def init_token_sessions(app: Flask) -> None:
    app.session_interface = TokenSessionInterface()
    app.url_defaults(_add_token_to_links)
