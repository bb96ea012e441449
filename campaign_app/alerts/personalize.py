"""Merge values for a supporter and an alert, and the alert's compiled texts."""

from functools import lru_cache

from flask import current_app, url_for
from markupsafe import Markup

from ..core.time import format_deadline, utcnow
from ..text.markdown import compile_markdown
from ..text.merge import MergeTemplate, compile_template
from .models import Alert


@lru_cache(maxsize=256)
def _compiled_markdown(source: str) -> MergeTemplate:
    return compile_markdown(source)


@lru_cache(maxsize=256)
def _compiled_text(source: str, context: str) -> MergeTemplate:
    return compile_template(source, context)


def merge_values(alert: Alert, supporter=None, *, lookup=None, target=None) -> dict:
    values = {
        "alert_title": alert.title,
        "org_name": current_app.config["ORG_NAME"],
        "action_link": url_for("actions.alert_page", slug=alert.slug, _external=True),
    }
    if alert.deadline_at:
        values["deadline"] = format_deadline(alert.deadline_at, alert.time_zone)
        values["days_left"] = str(max((alert.deadline_at - utcnow()).days, 0))
    if supporter is not None:
        values.update(first_name=supporter.first_name, last_name=supporter.last_name,
                      full_name=supporter.full_name, zip=supporter.zip_code,
                      city=supporter.city, state=supporter.state)
    if lookup is not None:
        reps = lookup.representatives
        if len(reps) == 1:
            values["rep_name"] = f"{reps[0].title} {reps[0].display_name}"
            values["rep_phone"] = reps[0].phone
        values["senator_names"] = " and ".join(
            f"Sen. {s.display_name}" for s in lookup.senators if s.state in lookup.states
        )
    if target is not None:
        values["target_name"] = f"{target.title} {target.display_name}"
    return values


def render_markdown_field(source: str, values: dict) -> Markup:
    """An organizer's Markdown text with merge fields, as safe HTML."""
    # Sanitized at compile time, values HTML-escaped at render time.
    return Markup(_compiled_markdown(source or "").render(values))  # noqa: S704


def render_text_field(source: str, values: dict, context: str = "text") -> str:
    return _compiled_text(source or "", context).render(values)
