"""Why CWC refused a message, in staff's words: each reason, and what to do about it."""

import re

from ..i18n.staff import lazy_staff_gettext, staff_gettext

#: A refusal as recorded by the outbox: "CWC 400: reason; reason".
_PREFIX = re.compile(r"^CWC \d{3}: ")

#: (what the reason mentions, what staff can do), first match wins.
_ADVICE = (
    (("not an active office",),
     lazy_staff_gettext("The office no longer takes CWC messages: the supporter can write "
                        "through the office's contact form, shown on the action page.")),
    (("Malformed XML", "root element", "may appear once", "belongs in"),
     lazy_staff_gettext("Alerta built a message CWC could not read: report this error to "
                        "Alerta's developers.")),
    (("Delivery",),
     lazy_staff_gettext("A CWC setting is wrong: run `flask cwc check`, fix the setting it "
                        "names, restart. Staff pages list bad settings.")),
    (("Constituent", "the supporter's"),
     lazy_staff_gettext("CWC refused the supporter's details: ask the supporter (see the "
                        "export) to write through the office's contact form, or to send the "
                        "email again with them corrected.")),
    (("ConstituentMessage",),
     lazy_staff_gettext("CWC refused the supporter's own text: ask the supporter to send it "
                        "again, shorter or longer as the error says.")),
    (("Subject", "OrganizationStatement", "Topic", "Bill", "ProOrCon", "MoreInfo",
      "Message"),
     lazy_staff_gettext("CWC refused the alert's email: fix it in the editor (subject, text, "
                        "topic, bills), then check it with “Validate with CWC” on the "
                        "preview.")),
)


def refusal_reasons(last_error: str | None) -> list[str]:
    """The separate reasons of one recorded refusal."""
    text = _PREFIX.sub("", (last_error or "").strip())
    if text.startswith("could not build the message: "):
        return [text.removeprefix("could not build the message: ")]
    return [reason.strip() for reason in text.split("; ") if reason.strip()] or ["unknown"]


def advice(reason: str) -> str:
    """What staff can do about one reason."""
    for words, what_to_do in _ADVICE:
        if any(word in reason for word in words):
            return str(what_to_do)
    return staff_gettext("Read CWC's error; “Validate with CWC” on the alert's preview checks "
                         "the alert's email before more supporters send it.")
