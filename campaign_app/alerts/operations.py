"""Writes on alerts."""

import logging

from ..core.db import db
from ..text.markdown import compile_markdown
from ..text.merge import compile_template
from .models import Alert

log = logging.getLogger(__name__)


def validate_merge_fields(data: dict) -> None:
    """Raise MergeFieldError for an unknown field in any text an organizer wrote."""
    for key in ("appeal", "call_script"):
        compile_markdown(data.get(key) or "")
    compile_template(data.get("email_subject") or "", "header")
    compile_template(data.get("email_body") or "", "text")


def create_alert(data: dict) -> Alert:
    validate_merge_fields(data)
    alert = Alert(**data)
    db.session.add(alert)
    db.session.flush()
    log.info("alert %s created (%s)", alert.slug, alert.status)
    return alert


def update_alert(alert: Alert, data: dict) -> Alert:
    validate_merge_fields({**_texts(alert), **data})
    for key, value in data.items():
        setattr(alert, key, value)
    db.session.flush()
    log.info("alert %s updated", alert.slug)
    return alert


def _texts(alert: Alert) -> dict:
    return {key: getattr(alert, key) for key in
            ("appeal", "call_script", "email_subject", "email_body")}
