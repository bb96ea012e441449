"""Panels: a feature above another adds a piece to its page without the lower feature
importing it (telephony's "Call me" on the call step, its minutes on the dashboard).

The feature registers a function in create_app; the page's template calls `panels(place,
…)`, which joins what each registered function renders (nothing when none is registered)."""

from collections.abc import Callable

from flask import Flask, current_app
from markupsafe import Markup

#: app.extensions key: place name → the functions that render a panel there.
PANELS = "alerta.panels"


def register_panel(app: Flask, place: str, render: Callable[..., str | None]) -> None:
    app.extensions.setdefault(PANELS, {}).setdefault(place, []).append(render)


def render_panels(place: str, **context) -> Markup:
    rendered = (render(**context) for render in
                current_app.extensions.get(PANELS, {}).get(place, ()))
    return Markup("").join(Markup(part) for part in rendered if part)  # noqa: S704
