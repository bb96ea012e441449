"""Settings read from the environment (12-factor), with embedded defaults for one laptop."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ALERTA_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'alerta.sqlite'}")
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_DIR / 'broker.sqlite'}")


def _broker_transport_options(url: str) -> dict:
    # kombu's SQLAlchemy transport hands its options to create_engine: give it none.
    if url.startswith("sqla+"):
        return {}
    if url.startswith(("redis://", "rediss://")):
        # A broker host that stops answering (no refusal, silence) must fail a publish or a
        # read within seconds, not hang the request or the worker on a socket.
        return {"visibility_timeout": 3600, "socket_connect_timeout": 3,
                "socket_timeout": 10}
    return {"visibility_timeout": 3600}


def _mail_url(url: str) -> dict:
    if not url:
        return {}
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("MAIL_URL must start with smtp:// or smtps://")
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    return {
        "server": parts.hostname or "127.0.0.1",
        "port": parts.port or (465 if ssl else 587),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "ssl": ssl,
        "tls": not ssl and query.get("tls", ["starttls"])[0] == "starttls",
    }


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    #: hide_parameters: a database error in the log never quotes a supporter's data. No
    #: pool_pre_ping: core.db.init_connection_checks pings only connections that need it.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
    #: A pooled connection idle this long (seconds) is pinged before use (core/db.py).
    DATABASE_PING_AFTER_IDLE = float(os.environ.get("DATABASE_PING_AFTER_IDLE", "30"))
    #: json (one JSON object per line, for a log collector) or text (for a person).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or (
        "json" if os.environ.get("ALERTA_ENV", "").lower() == "production" else "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()

    CELERY = {
        "broker_url": _broker_url(),
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # The app's log handler writes to stderr: redirected into the log, it would loop.
        "worker_redirect_stdouts": False,
        # A submission must not hang on a dead broker: fail fast, the outbox sweep re-queues.
        "broker_connection_timeout": 3,
        # A worker that lost the broker tries again every 2 s at most (see core/celery.py),
        # 100 times; then it exits and the process manager starts it again.
        "broker_connection_max_retries": 100,
        "worker_consumer": "campaign_app.core.celery:PromptReconnectConsumer",
        "task_publish_retry_policy": {"max_retries": 2, "interval_start": 0.2,
                                      "interval_step": 0.5, "interval_max": 1},
        "broker_transport_options": _broker_transport_options(_broker_url()),
        "timezone": "UTC",
        "include": ["campaign_app.delivery.tasks", "campaign_app.mailings.tasks",
                    "campaign_app.dashboard.tasks", "campaign_app.health.tasks",
                    "campaign_app.webhooks.tasks",
                    "campaign_app.privacy.tasks", "campaign_app.telephony.tasks"],
    }

    # MAIL_URL (smtp://user:password@host:587?tls=starttls, smtps://… for SSL) sets them all
    # at once, as providers (SES, Mailgun, Postmark, SendGrid) hand them out.
    _mail = _mail_url(os.environ.get("MAIL_URL", ""))
    MAIL_SERVER = _mail.get("server") or os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _mail.get("port") or _int("MAIL_PORT", 8025)
    MAIL_USERNAME = _mail.get("username") or os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = _mail.get("password") or os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _mail.get("tls", _bool("MAIL_USE_TLS", False))
    MAIL_USE_SSL = _mail.get("ssl", _bool("MAIL_USE_SSL", False))
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Alerta <alerts@localhost>")

    #: The sender's postal address, required in the footer of bulk email (CAN-SPAM).
    ORG_POSTAL_ADDRESS = os.environ.get("ORG_POSTAL_ADDRESS", "")
    #: Messages per second each worker sends at most (0: no limit).
    MAIL_RATE_LIMIT = float(os.environ.get("MAIL_RATE_LIMIT", "0") or 0)
    MAILING_BATCH_SIZE = _int("MAILING_BATCH_SIZE", 200)
    #: Batch chains started per mailing: several workers can send one mailing together.
    MAILING_PARALLEL = _int("MAILING_PARALLEL", 2)
    #: A claimed recipient not sent after this long belonged to a worker that died.
    MAILING_CLAIM_TIMEOUT = _int("MAILING_CLAIM_TIMEOUT", 600)
    #: Wait before trying again when the mail server can't be reached.
    MAILING_RETRY_SECONDS = _int("MAILING_RETRY_SECONDS", 30)
    #: How long a personal action link (?t=…) greets its supporter.
    PERSONAL_LINK_MAX_AGE = _int("PERSONAL_LINK_MAX_AGE", 60 * 24 * 3600)
    #: Shared secret of the bounce/complaint webhook (unset: the webhook is off).
    BOUNCE_WEBHOOK_SECRET = os.environ.get("BOUNCE_WEBHOOK_SECRET", "")
    ORG_NAME = os.environ.get("ORG_NAME", "Alerta")
    #: The languages supporters can read pages and emails in (a catalog in
    #: campaign_app/translations/ each; English is the source), and the one used when
    #: nothing says which a supporter reads.
    LANGUAGES = [part.strip() for part in os.environ.get("LANGUAGES", "en,es").split(",")
                 if part.strip()]
    DEFAULT_LANGUAGE = os.environ.get("DEFAULT_LANGUAGE", "en")
    #: The organization's full legal name (6 to 500 characters), sent to Congress as CWC's
    #: Organization: ORG_NAME is often an acronym ("EFF") that CWC refuses.
    ORG_LEGAL_NAME = os.environ.get("ORG_LEGAL_NAME", "")
    #: A TrueType font for the supporters' letter (PDF), so that any name prints; unset, the
    #: first of the usual system fonts found; "core" uses Helvetica (names transliterated).
    LETTER_FONT = os.environ.get("LETTER_FONT", "")
    #: Action-page form posts per IP address and window (seconds).
    ACTION_LIMIT_PER_IP = _int("ACTION_LIMIT_PER_IP", 60)
    ACTION_LIMIT_WINDOW = _int("ACTION_LIMIT_WINDOW", 600)
    #: Sites allowed to embed the action pages (space-separated origins, e.g.
    #: "https://example.org https://blog.example.org"); an alert may list its own instead.
    EMBED_ALLOWED_ORIGINS = os.environ.get("EMBED_ALLOWED_ORIGINS", "")
    #: How long an embed token (the cookie-less state of an embedded action) stays valid.
    EMBED_TOKEN_MAX_AGE = _int("EMBED_TOKEN_MAX_AGE", 2 * 3600)
    #: Where rate-limit counts live: a redis:// URL shared by every web process, or
    #: empty for the database (the embedded default).
    RATELIMIT_STORAGE_URL = os.environ.get("RATELIMIT_STORAGE_URL", "")
    #: Reverse proxies in front of gunicorn whose X-Forwarded-For we trust (0: none), so
    #: per-IP limits count supporters, not the proxy.
    PROXY_COUNT = _int("PROXY_COUNT", 0)
    #: Communicating with Congress: unset base URL or key means supporters use each
    #: member's contact form instead.
    CWC_BASE_URL = os.environ.get("CWC_BASE_URL", "")
    CWC_API_KEY = os.environ.get("CWC_API_KEY", "")
    CWC_DELIVERY_AGENT = os.environ.get("CWC_DELIVERY_AGENT", "Alerta")
    #: CWC refuses an address without a dot in its domain (cwc@localhost): `flask cwc check`.
    CWC_DELIVERY_AGENT_EMAIL = os.environ.get("CWC_DELIVERY_AGENT_EMAIL", "")
    CWC_DELIVERY_AGENT_CONTACT_NAME = os.environ.get("CWC_DELIVERY_AGENT_CONTACT_NAME", "")
    #: Written 202-555-0143, as CWC takes it.
    CWC_DELIVERY_AGENT_PHONE = os.environ.get("CWC_DELIVERY_AGENT_PHONE", "")
    CWC_TIMEOUT = _int("CWC_TIMEOUT", 20)
    #: Where `flask congress sync` reads when no --from is given; empty means download.
    ALERTA_CONGRESS_DATA = os.environ.get("ALERTA_CONGRESS_DATA", "")
    #: Each process checks at most this often whether a newer sync landed, then rebuilds its
    #: in-memory lookup index.
    CONGRESS_INDEX_CHECK_SECONDS = _float("CONGRESS_INDEX_CHECK_SECONDS", 5)
    #: Staff see a warning when the last sync is older than this.
    CONGRESS_DATA_MAX_AGE_DAYS = _int("CONGRESS_DATA_MAX_AGE_DAYS", 30)
    #: The street-address geocoder for ZIPs that span districts (a provider name).
    GEOCODER = os.environ.get("GEOCODER", "census")
    #: The geocoder's endpoint; empty means no geocoder: supporters then pick their
    #: representative among the ZIP's candidates. The Census Geocoder's is
    #: https://geocoding.geo.census.gov/geocoder/geographies/onelineaddress
    GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
    GEOCODER_BENCHMARK = os.environ.get("GEOCODER_BENCHMARK", "Public_AR_Current")
    GEOCODER_VINTAGE = os.environ.get("GEOCODER_VINTAGE", "Current_Current")
    #: Seconds to wait for the geocoder before offering the candidates instead.
    GEOCODER_TIMEOUT = _float("GEOCODER_TIMEOUT", 4)

    #: Deliveries pending longer than this are re-queued by the outbox sweep.
    #: A pending delivery this old was left by a broker outage or a lost message: beat's
    #: sweep (every 10 s) queues it again. Low, so confirmations go out within 30 s of the
    #: broker's return; sending twice is impossible anyway (a delivery is claimed once).
    OUTBOX_STALE_SECONDS = _int("OUTBOX_STALE_SECONDS", 15)
    DELIVERY_MAX_ATTEMPTS = _int("DELIVERY_MAX_ATTEMPTS", 8)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    #: Failed logins allowed per account and per IP address within the window (seconds).
    LOGIN_LIMIT_PER_ACCOUNT = _int("LOGIN_LIMIT_PER_ACCOUNT", 5)
    LOGIN_LIMIT_PER_IP = _int("LOGIN_LIMIT_PER_IP", 30)
    LOGIN_LIMIT_WINDOW = _int("LOGIN_LIMIT_WINDOW", 900)
    #: Live alerts with this many actions get their dashboard figures computed by the beat.
    DASHBOARD_SNAPSHOT_MIN_ACTIONS = _int("DASHBOARD_SNAPSHOT_MIN_ACTIONS", 50_000)
    #: A snapshot older than this (seconds) is ignored and the figures counted on the spot.
    DASHBOARD_SNAPSHOT_MAX_AGE = _int("DASHBOARD_SNAPSHOT_MAX_AGE", 180)
    #: Public sign-on posts allowed per IP address within the window (seconds).
    SIGNON_LIMIT_PER_IP = _int("SIGNON_LIMIT_PER_IP", 10)
    SIGNON_LIMIT_WINDOW = _int("SIGNON_LIMIT_WINDOW", 3600)
    #: Keep the rendered action page in each process (the anonymous page, the personal
    #: link's page with marks for the supporter's values), checked by the alert's stamp;
    #: off, every request renders its page (to compare the two).
    PAGE_STORE = _bool("PAGE_STORE", True)
    #: Form posts larger than this are refused before parsing.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 256 * 1024)
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    #: `/` redirects here (the organization's site) instead of listing the live alerts.
    ROOT_REDIRECT_URL = os.environ.get("ROOT_REDIRECT_URL", "")
    #: /.well-known/security.txt (RFC 9116): where to report a vulnerability (mailto: or
    #: https:), and until when that holds (a date); unset, there is no security.txt.
    SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
    SECURITY_EXPIRES = os.environ.get("SECURITY_EXPIRES", "")
    #: /readyz reports beat as stale when its last heartbeat (every minute) is older.
    HEARTBEAT_STALE_SECONDS = _int("HEARTBEAT_STALE_SECONDS", 300)
    #: Seconds /readyz waits for the broker before naming it unreachable.
    HEALTH_BROKER_TIMEOUT = _float("HEALTH_BROKER_TIMEOUT", 2)
    #: Requests each API key may make within the window (seconds); beyond, 429.
    API_LIMIT_PER_KEY = _int("API_LIMIT_PER_KEY", 600)
    API_LIMIT_WINDOW = _int("API_LIMIT_WINDOW", 60)
    #: Webhooks may go to loopback, private and link-local addresses, and over plain
    #: http (development and tests only: in production a URL must be https and public).
    WEBHOOK_ALLOW_PRIVATE = _bool("WEBHOOK_ALLOW_PRIVATE", False)
    #: Seconds an endpoint has to answer one delivery.
    WEBHOOK_TIMEOUT = _float("WEBHOOK_TIMEOUT", 10)
    #: Tries of one batch posted at once (a slow endpoint holds one thread, not the batch).
    WEBHOOK_CONCURRENCY = _int("WEBHOOK_CONCURRENCY", 8)
    #: An endpoint failing this long (hours) is disabled and its admins told.
    WEBHOOK_DISABLE_AFTER_HOURS = _float("WEBHOOK_DISABLE_AFTER_HOURS", 24)
    #: The first retry waits about this long (seconds); each next one twice as long.
    WEBHOOK_RETRY_BASE_SECONDS = _float("WEBHOOK_RETRY_BASE_SECONDS", 30)
    #: Patch-through calling (Twilio): with the account SID, auth token and caller id set
    #: (and PUBLIC_BASE_URL, the address Twilio signs its requests for), the call step offers
    #: "Call me"; without them it is a tel: link and a self-report.
    TELEPHONY_PROVIDER = os.environ.get("TELEPHONY_PROVIDER", "twilio")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
    #: The organization's Twilio number, E.164 (+15555550100): calls come from it.
    TWILIO_CALLER_ID = os.environ.get("TWILIO_CALLER_ID", "")
    TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "https://api.twilio.com")
    TWILIO_TIMEOUT = _float("TWILIO_TIMEOUT", 10)
    #: Cost and abuse limits of patch-through calls.
    CALL_LIMIT_PER_PHONE_PER_DAY = _int("CALL_LIMIT_PER_PHONE_PER_DAY", 3)
    CALL_LIMIT_PER_IP_PER_HOUR = _int("CALL_LIMIT_PER_IP_PER_HOUR", 10)
    CALL_LIMIT_PER_ALERT_PER_HOUR = _int("CALL_LIMIT_PER_ALERT_PER_HOUR", 600)
    #: Days after an alert closes that its call notes, the "as submitted" copies of what
    #: supporters typed, and the payloads of messages to Congress are kept (privacy/retention).
    RETENTION_CALL_NOTES_DAYS = _int("RETENTION_CALL_NOTES_DAYS", 180)
    RETENTION_SUBMISSIONS_DAYS = _int("RETENTION_SUBMISSIONS_DAYS", 180)
    RETENTION_DELIVERY_PAYLOADS_DAYS = _int("RETENTION_DELIVERY_PAYLOADS_DAYS", 180)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    WTF_CSRF_ENABLED = True
    #: Tests sync and roll back all the time: check for a newer sync on every lookup.
    CONGRESS_INDEX_CHECK_SECONDS = 0


def config_from_env() -> type[Config]:
    name = os.environ.get("ALERTA_ENV", "development").lower()
    return {"production": ProductionConfig, "testing": TestingConfig}.get(name, Config)
