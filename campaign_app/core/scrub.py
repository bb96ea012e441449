"""Texts from elsewhere (an SMTP server's refusal, a CWC error, an exception's message) may
quote what we sent: a supporter's email, name, phone or street. They are scrubbed before
they are stored (an outbox row's last error) or logged, so no log line and no error column
holds supporter data (DESIGN.md, Security; issue 19)."""

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
#: A North American phone number written with separators ('(307) 555-0199', '+1 307.555.0199').
#: Bare runs of ten digits are left alone: ids and timestamps look like them.
PHONE = re.compile(r"(?<![\w.-])(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?!\w)")


def mask_emails(text: str) -> str:
    return EMAIL.sub("[email]", text)


def mask_patterns(text: str) -> str:
    """Emails and phone numbers, wherever they come from: what a log line can be sure of."""
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


def _loose(value: str) -> re.Pattern:
    """The value as another system may quote it: any case and spacing; a phone number in any
    punctuation (its digits in order)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7 and len(digits) >= len(value.replace(" ", "")) * 0.6:
        return re.compile(r"(?<!\d)" + r"\D{0,3}".join(digits) + r"(?!\d)")
    words = [re.escape(word) for word in value.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def scrub(text: str, known: Iterable[str | None] = ()) -> str:
    """`text` without emails, phone numbers and the `known` values (a supporter's name,
    street, city, phone…), each replaced by a placeholder."""
    text = EMAIL.sub("[email]", text)
    values = {value.strip() for value in known if value and len(value.strip()) >= 2}
    for value in sorted(values, key=len, reverse=True):  # 'Ana Gómez' before 'Ana'
        text = _loose(value).sub("[redacted]", text)
    return PHONE.sub("[phone]", text)
