"""The suggested email: the organizer's wording filled in for the supporter, as the email
form offers it and as `record_email` sends it when the alert does not let supporters edit."""

from dataclasses import dataclass

from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text, target_values
from ..congress.queries import Lookup
from ..core.forms import normalize_newlines
from ..text.merge import CATALOGUE
from .forms import xml_safe

#: Stay in the suggested email, one per form of the member's name ("[[Target_Name]]",
#: "[[A_Target_Name]]"), to become each member's name when the email is recorded.
TARGET_FIELDS = {key: f"[[{CATALOGUE[key]}]]" for key in ("target_name", "a_target_name")}


def fill_in_target(text: str, target) -> str:
    """The email as it goes to `target`: each placeholder becomes the member's name in its
    form (in the page's language, as the supporter read the email)."""
    for key, value in target_values(target).items():
        text = text.replace(TARGET_FIELDS[key], value)
    return text


def longest_target_names(targets) -> dict[str, int]:
    """Placeholder → the longest name it becomes among `targets` (the form's length rule)."""
    lengths = {placeholder: 0 for placeholder in TARGET_FIELDS.values()}
    for target in targets:
        for key, value in target_values(target).items():
            lengths[TARGET_FIELDS[key]] = max(lengths[TARGET_FIELDS[key]], len(value))
    return lengths


@dataclass(frozen=True)
class SuggestedEmail:
    subject: str
    body: str


def suggested_email(alert: Alert, supporter, lookup: Lookup) -> SuggestedEmail:
    """The alert's email subject and body for this supporter (what the browser may see of
    them: `Submission.profile`), cleaned as the email form cleans what it receives."""
    values = merge_values(alert, supporter, lookup=lookup)
    values.update(TARGET_FIELDS)
    return SuggestedEmail(
        subject=xml_safe(render_text(alert, "email_subject", values)),
        body=xml_safe(normalize_newlines(render_text(alert, "email_body", values))))
