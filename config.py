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
    return {"visibility_timeout": 3600}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    CELERY = {
        "broker_url": _broker_url(),
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # A submission must not hang on a dead broker: fail fast, the outbox sweep re-queues.
        "broker_connection_timeout": 3,
        "task_publish_retry_policy": {"max_retries": 2, "interval_start": 0.2,
                                      "interval_step": 0.5, "interval_max": 1},
        "broker_transport_options": _broker_transport_options(_broker_url()),
        "timezone": "UTC",
        "include": ["campaign_app.delivery.tasks", "campaign_app.dashboard.tasks"],
    }

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _int("MAIL_PORT", 8025)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Alerta <alerts@localhost>")

    ORG_NAME = os.environ.get("ORG_NAME", "Alerta")
    #: Where `flask congress sync` reads when no --from is given; empty means download.
    ALERTA_CONGRESS_DATA = os.environ.get("ALERTA_CONGRESS_DATA", "")

    #: Deliveries pending longer than this are re-queued by the outbox sweep.
    OUTBOX_STALE_SECONDS = _int("OUTBOX_STALE_SECONDS", 120)
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
    #: Form posts larger than this are refused before parsing.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 256 * 1024)
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    WTF_CSRF_ENABLED = True


def config_from_env() -> type[Config]:
    name = os.environ.get("ALERTA_ENV", "development").lower()
    return {"production": ProductionConfig, "testing": TestingConfig}.get(name, Config)
