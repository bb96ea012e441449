"""What a visitor will see: the alert's texts filled in for a sample supporter, or for a
visitor we don't know."""

from collections.abc import Collection
from dataclasses import dataclass

from flask import url_for

from .models import Alert
from .personalize import merge_values, render_for_display
from .targets import select_targets


@dataclass
class SampleSupporter:
    """Ana from a given ZIP: the preview's stand-in for a supporter (never saved)."""

    first_name: str
    last_name: str
    zip_code: str
    city: str | None = None
    state: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def preview_texts(alert: Alert, sample: SampleSupporter, lookup, on_missing,
                  signed: Collection[str]) -> dict:
    """`signed`: the members who signed the letter (see targets.py)."""
    if lookup is not None and lookup.found and len(lookup.states) == 1:
        sample.state = lookup.states[0]
    targets = select_targets(alert, lookup, signed) if lookup is not None and lookup.found else []
    values = merge_values(alert, sample, lookup=lookup if lookup and lookup.found else None)
    values["unsubscribe_link"] = url_for("alerts.preview", alert_id=alert.id, _external=True) \
        + "#unsubscribe-example"
    cards = []
    for target in targets:
        target_values = merge_values(alert, sample, lookup=lookup, target=target)
        cards.append({
            "member": target,
            "script": render_for_display(alert, "call_script", target_values, on_missing),
            "email_subject": render_for_display(alert, "email_subject", target_values, on_missing),
            "email_body": render_for_display(alert, "email_body", target_values, on_missing),
        })
    return {
        "appeal": render_for_display(alert, "appeal", values, on_missing),
        "cards": cards,
        "thank_you": render_for_display(alert, "thank_you_text", values, on_missing),
        "alert_email_subject": render_for_display(alert, "alert_email_subject", values, on_missing),
        "alert_email_body": render_for_display(alert, "alert_email_body", values, on_missing),
    }


def anonymous_texts(alert: Alert, on_missing) -> dict:
    """What a visitor we don't know reads: the alert's page before they fill in the form (no
    personal link), with the values that page has — the alert's own."""
    return {"appeal": render_for_display(alert, "appeal", merge_values(alert), on_missing)}
