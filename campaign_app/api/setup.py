"""The API wired into the app: flask-smorest builds the OpenAPI 3.1 description from the
views and schemas; every error under /api/ is an OSDI-style JSON body, never a page."""

from flask import Flask, render_template, request
from flask_smorest import Api

from .errors import http_error
from .keys import init_key_stamps

PREFIX = "/api/"


class OsdiApi(Api):
    def _register_error_handlers(self):
        """flask-smorest would answer every error of the whole site as JSON; only the API's
        are (the staff and supporter pages keep their own error pages)."""


def _wrap_site_handlers(app: Flask) -> None:
    """URLs under /api/ that match no route (404, 405), and bodies refused before any view
    runs (413), get the API's JSON error instead of the site's page."""
    for code in (400, 404, 405, 413, 429, 500):
        handlers = app.error_handler_spec[None].get(code, {})
        for exception_class, page in list(handlers.items()):
            def handler(error, page=page):
                if request.path.startswith(PREFIX):
                    return http_error(error)
                return page(error)
            handlers[exception_class] = handler


def init_api(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Alerta OSDI API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "OSDI resources as HAL+JSON. Send your key in the "
                                "OSDI-API-Token header."},
        "components": {"securitySchemes": {"osdiToken": {
            "type": "apiKey", "in": "header", "name": "OSDI-API-Token"}}},
        "security": [{"osdiToken": []}],
    })
    init_key_stamps()
    api = OsdiApi(app)
    from . import letters, views, writes  # noqa: F401 - letters and writes add their routes

    api.register_blueprint(views.blp)
    app.extensions["alerta_api"] = api

    @app.get("/api/v1/reference")
    def api_reference():
        """The API for people: every path, its parameters and answers, from the spec."""
        return render_template("api/reference.html", spec=api.spec.to_dict())

    _wrap_site_handlers(app)
