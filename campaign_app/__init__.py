"""Alerta: action alerts that move supporters to contact the U.S. Congress."""

import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: type | dict | None = None) -> "Flask":
    # Imported here, not at the top: a process that runs only a small part of the package
    # (`flask start`'s supervisor, campaign_app/embedded_run.py) does not load the whole app
    # (~60 MB) by importing it.
    from .core.unused_imports import keep_out_unused_modules

    keep_out_unused_modules()
    from flask import Flask

    import config as config_module

    from .congress.index import init_index
    from .core.celery import celery_init_app
    from .core.db import init_connection_checks, init_fork_safety, init_sqlite
    from .core.logging import configure_logging, init_request_logging
    from .core.migrations import init_migrations
    from .core.ratelimit import init_ratelimit
    from .core.security import init_security_headers
    from .core.tokensession import init_token_sessions
    from .extensions import db, login_manager
    from .i18n.setup import init_i18n

    app = Flask(__name__, template_folder=str(TEMPLATE_DIR),
                instance_path=str(config_module.INSTANCE_DIR))
    app.config.from_object(config_module.config_from_env())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    _ensure_secret_key(app)

    db.init_app(app)
    init_sqlite(app)
    init_connection_checks(app)
    init_fork_safety(app)
    init_migrations(app, db, str(MIGRATIONS_DIR))
    login_manager.init_app(app)
    celery_init_app(app)
    init_security_headers(app)
    init_token_sessions(app)
    init_index(app)
    init_ratelimit(app)
    init_i18n(app)
    init_request_logging(app)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _register_message_builders(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_errors(app)
    _register_api(app)
    _register_telephony(app)
    _register_template_helpers(app)
    # Our one handler on the root logger prints everything: Flask's own would repeat lines.
    from flask.logging import default_handler

    logging.getLogger("campaign_app").removeHandler(default_handler)
    from .delivery.cwc import log_settings_problems

    log_settings_problems(app.config)  # CWC stays off until each named setting is fixed
    return app


def _ensure_secret_key(app: "Flask") -> None:
    """Production sets SECRET_KEY; the embedded default keeps a random one in instance/."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _register_message_builders(app: "Flask") -> None:
    """The emails the outbox sends for features above it."""
    from .actions.confirmation import build_confirmation
    from .delivery.messages import register_builder

    register_builder(app, "confirmation", build_confirmation)


def _register_blueprints(app: "Flask") -> None:
    from .actions.views import bp as actions_bp
    from .alerts.views import bp as alerts_bp
    from .audit.views import bp as audit_bp
    from .auth.views import bp as auth_bp
    from .dashboard.views import bp as dashboard_bp
    from .embeds.pages import init_embedded_pages
    from .embeds.views import bp as embeds_bp
    from .exports.views import bp as exports_bp
    from .frontdoor.views import bp as frontdoor_bp
    from .health.views import bp as health_bp
    from .mailings.views import bp as mailings_bp
    from .privacy.views import bp as privacy_bp
    from .signons.views import bp as signons_bp
    from .signons.views_public import public_bp as public_signons_bp
    from .supporters.views import bp as supporters_bp

    app.register_blueprint(actions_bp)
    app.register_blueprint(alerts_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(mailings_bp)
    app.register_blueprint(supporters_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(signons_bp)
    app.register_blueprint(public_signons_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(frontdoor_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(embeds_bp)
    init_embedded_pages(app)


def _register_api(app: "Flask") -> None:
    """After the site's error pages: the API answers its own errors as JSON."""
    from .api.setup import init_api
    from .api.staff_views import bp as api_keys_bp
    from .webhooks.outbox import init_outbox
    from .webhooks.tasks import init_queueing
    from .webhooks.views import bp as webhooks_bp

    app.register_blueprint(api_keys_bp)
    app.register_blueprint(webhooks_bp)
    init_api(app)
    init_outbox()
    init_queueing()


def _register_telephony(app: "Flask") -> None:
    """Patch-through calling: its webhooks, 'Call me' on the call step, minutes on the
    dashboard (panels: the pages below it don't import it)."""
    from .core.panels import register_panel
    from .telephony.hooks import bp as telephony_hooks_bp
    from .telephony.views import bp as telephony_bp
    from .telephony.views import call_step_panel, dashboard_panel
    from .telephony.views import staff_bp as telephony_staff_bp

    app.register_blueprint(telephony_bp)
    app.register_blueprint(telephony_hooks_bp)
    app.register_blueprint(telephony_staff_bp)
    register_panel(app, "call_step", call_step_panel)
    register_panel(app, "alert_dashboard", dashboard_panel)


def _register_cli(app: "Flask") -> None:
    from .alerts.cli import demo_cli
    from .auth.cli import users_cli
    from .congress.cli import congress_cli
    from .delivery.cli import cwc_cli
    from .embedded import embedded_command
    from .privacy.cli import supporters_cli
    from .telephony.cli import telephony_cli
    from .workers import worker_command

    app.cli.add_command(congress_cli)
    app.cli.add_command(cwc_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(embedded_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(supporters_cli)
    app.cli.add_command(telephony_cli)


def _register_errors(app: "Flask") -> None:
    from flask import render_template
    from flask_babel import lazy_gettext as _l

    def _page(code: int, title: str, message: str):
        def handler(error):
            return render_template("errors/error.html", code=code, title=title,
                                   message=message), code
        return handler

    app.register_error_handler(400, _page(400, _l("Bad request"),
                                          _l("We couldn't read that request.")))
    app.register_error_handler(403, _page(403, _l("Not allowed"),
                                          _l("Your account doesn't have access to this page.")))
    app.register_error_handler(404, _page(404, _l("Page not found"),
                                          _l("There is no page at this address.")))
    app.register_error_handler(405, _page(405, _l("Not allowed"),
                                          _l("This page doesn't accept that kind of request.")))
    app.register_error_handler(413, _page(413, _l("Too large"),
                                          _l("What you sent is larger than we accept.")))
    app.register_error_handler(429, _page(429, _l("Too many requests"),
                                          _l("Please wait a minute and try again.")))
    app.register_error_handler(500, _page(500, _l("Something went wrong"),
                                          _l("We couldn't finish that. Nothing was half-saved; "
                                             "please try again.")))


def _register_template_helpers(app: "Flask") -> None:
    from flask_wtf.csrf import generate_csrf

    from .alerts.translations import alert_languages, text_in
    from .core.panels import render_panels
    from .core.time import format_deadline
    from .delivery.cwc import staff_warnings
    from .text.markdown import render_markdown

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["deadline"] = format_deadline
    app.jinja_env.globals["alert_title"] = lambda alert, language=None: text_in(
        alert, "title", language)
    app.jinja_env.globals["alert_languages"] = alert_languages
    app.jinja_env.globals["org_name"] = lambda: app.config["ORG_NAME"]
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["panels"] = render_panels
    app.jinja_env.globals["cwc_warnings"] = lambda: staff_warnings(app.config)
