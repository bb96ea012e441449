"""Flask-Babel bound to the app: the locale selector, the catalogs, the template helpers."""

from pathlib import Path

from flask import Flask
from flask_babel import Babel, get_locale

from .catalogs import ready_catalogs
from .languages import format_count, language_name, parse_languages
from .selector import language_prefix, select_language, start_request, switch_links
from .staff import STAFF_DOMAIN

babel = Babel()


def init_i18n(app: Flask) -> None:
    app.config["LANGUAGES"] = parse_languages(",".join(app.config["LANGUAGES"]))
    if app.config["DEFAULT_LANGUAGE"] not in app.config["LANGUAGES"]:
        raise ValueError(f"DEFAULT_LANGUAGE {app.config['DEFAULT_LANGUAGE']!r} is not one of "
                         f"LANGUAGES ({', '.join(app.config['LANGUAGES'])})")
    # Both domains from the one folder: supporter messages and the staff pages' (staff.py).
    catalogs = str(ready_catalogs(Path(app.instance_path)))
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", f"{catalogs};{catalogs}")
    app.config.setdefault("BABEL_DOMAIN", f"messages;{STAFF_DOMAIN}")
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LANGUAGE"]
    babel.init_app(app, locale_selector=select_language)
    app.before_request(start_request)
    languages = ",".join(app.config["LANGUAGES"])
    app.add_url_rule(f"/<any({languages}):language>/<path:path>", "language_prefix",
                     language_prefix)
    app.jinja_env.globals["page_language"] = lambda: str(get_locale() or "en")
    app.jinja_env.globals["language_switch"] = switch_links
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["numberformat"] = format_count
