"""Which organizer texts take which merge fields, and how each is rendered."""

from dataclasses import dataclass

from ..text.markdown import compile_markdown
from ..text.merge import CATALOGUE, PAGE_FIELDS, MergeFieldError, MergeTemplate, compile_template


@dataclass(frozen=True)
class OrganizerText:
    label: str
    #: markdown → sanitized HTML; text → plain text; header → one line, no CR/LF.
    kind: str
    allowed: dict

    def compile(self, source: str) -> MergeTemplate:
        if self.kind == "markdown":
            return compile_markdown(source, allowed=self.allowed)
        return compile_template(source, self.kind, allowed=self.allowed)


NO_FIELDS: dict[str, str] = {}
#: The letter goes to many offices over many names: only the addressee is merged in.
LETTER_FIELDS = {"target_name": "Target_Name"}

#: Alert attribute → how it is written. Page texts can't use email-only fields; share text is
#: posted publicly, so it carries no personal data at all.
ORGANIZER_TEXTS: dict[str, OrganizerText] = {
    "appeal": OrganizerText("Appeal", "markdown", PAGE_FIELDS),
    "call_script": OrganizerText("Call script", "markdown", PAGE_FIELDS),
    "thank_script": OrganizerText("Thank-you script", "markdown", PAGE_FIELDS),
    "email_subject": OrganizerText("Suggested email subject", "header", PAGE_FIELDS),
    "email_body": OrganizerText("Suggested email body", "text", PAGE_FIELDS),
    "thank_you_text": OrganizerText("Thank-you text", "markdown", PAGE_FIELDS),
    "share_text": OrganizerText("Share text", "text", NO_FIELDS),
    "letter_text": OrganizerText("Letter", "text", LETTER_FIELDS),
    "alert_email_subject": OrganizerText("Alert email subject", "header", CATALOGUE),
    "alert_email_body": OrganizerText("Alert email body", "markdown", CATALOGUE),
}


def merge_field_errors(data: dict) -> dict[str, str]:
    """Attribute → error message, for every organizer text in `data` that doesn't compile."""
    errors = {}
    for key, spec in ORGANIZER_TEXTS.items():
        if key not in data:
            continue
        try:
            spec.compile(data[key] or "")
        except MergeFieldError as error:
            hint = (" This text can't use merge fields." if not spec.allowed
                    else f" It can use only {', '.join(f'[[{n}]]' for n in spec.allowed.values())}."
                    if len(spec.allowed) < 3
                    else " Fields you can use are listed beside the editor.")
            errors[key] = f"{error}.{hint}"
    return errors
