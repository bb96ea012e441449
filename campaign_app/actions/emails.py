"""The suggested email: the organizer's wording filled in for the supporter, as the email
form offers it and as `record_email` sends it when the alert does not let supporters edit."""

from dataclasses import dataclass

from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text
from ..congress.queries import Lookup
from ..core.forms import normalize_newlines
from .forms import xml_safe

#: Stays in the suggested email, to become each member's name when the email is recorded.
TARGET_NAME_FIELD = "[[Target_Name]]"


@dataclass(frozen=True)
class SuggestedEmail:
    subject: str
    body: str


def suggested_email(alert: Alert, supporter, lookup: Lookup) -> SuggestedEmail:
    """The alert's email subject and body for this supporter (what the browser may see of
    them: `Submission.profile`), cleaned as the email form cleans what it receives."""
    values = merge_values(alert, supporter, lookup=lookup)
    values["target_name"] = TARGET_NAME_FIELD
    return SuggestedEmail(
        subject=xml_safe(render_text(alert, "email_subject", values)),
        body=xml_safe(normalize_newlines(render_text(alert, "email_body", values))))
