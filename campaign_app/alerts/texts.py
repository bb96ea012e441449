"""Which organizer texts take which merge fields, and how each is rendered."""

from dataclasses import dataclass

from ..i18n.staff import lazy_staff_gettext, staff_gettext
from ..text.markdown import compile_markdown
from ..text.merge import (
    CATALOGUE,
    FIELD_FORMS,
    PAGE_FIELDS,
    MergeFieldError,
    MergeTemplate,
    compile_template,
)


@dataclass(frozen=True)
class OrganizerText:
    label: str
    #: markdown → sanitized HTML; text → plain text; header → one line, no CR/LF.
    kind: str
    allowed: dict
    #: Characters at most, chosen for where the text is read (see ORGANIZER_TEXTS).
    max_length: int
    #: Read by visitors we don't know yet (no personal link, no form sent): their supporter
    #: fields have no value there, so each needs a fallback.
    is_seen_anonymously: bool = False

    def length_error(self, source: str) -> str | None:
        if len(source) <= self.max_length:
            return None
        return too_long(self.label, self.max_length, len(source))

    def compile(self, source: str) -> MergeTemplate:
        if self.kind == "markdown":
            return compile_markdown(source, allowed=self.allowed)
        return compile_template(source, self.kind, allowed=self.allowed)


def too_long(label: str, max_length: int, length: int) -> str:
    return staff_gettext("Please keep the %(text)s to %(most)s characters at most (it has "
                         "%(length)s).", text=label.lower(), most=format(max_length, ","),
                         length=format(length, ","))


NO_FIELDS: dict[str, str] = {}
#: The letter goes to many offices over many names: only the addressee is merged in.
LETTER_FIELDS = {"target_name": "Target_Name"}

#: Alert attribute → how it is written. Page texts can't use email-only fields; share text is
#: posted publicly, so it carries no personal data at all. Lengths fit the use: the appeal is
#: read on a phone above the form (a few short paragraphs); scripts are read aloud to a staffer
#: in a minute or two; a letter is a page or two; subjects fit a mail client's line; the
#: suggested email stays within the longest email a supporter may send (20,000 at most) and a
#: subject within CWC's 500.
ORGANIZER_TEXTS: dict[str, OrganizerText] = {
    "appeal": OrganizerText(lazy_staff_gettext("Appeal"), "markdown", PAGE_FIELDS, 5_000,
                            is_seen_anonymously=True),
    "call_script": OrganizerText(lazy_staff_gettext("Call script"), "markdown", PAGE_FIELDS, 2_000),
    "thank_script": OrganizerText(lazy_staff_gettext("Thank-you script"), "markdown", PAGE_FIELDS,
                                  2_000),
    # The suggested email's limits are outer bounds: the editor form holds it to what
    # Congress's message system (CWC) takes.
    "email_subject": OrganizerText(lazy_staff_gettext("Suggested email subject"), "header",
                                   PAGE_FIELDS, 500),
    "email_body": OrganizerText(lazy_staff_gettext("Suggested email body"), "text", PAGE_FIELDS,
                                20_000),
    "thank_you_text": OrganizerText(lazy_staff_gettext("Thank-you text"), "markdown", PAGE_FIELDS,
                                    3_000),
    "share_text": OrganizerText(lazy_staff_gettext("Share text"), "text", NO_FIELDS, 280),
    "letter_text": OrganizerText(lazy_staff_gettext("Letter"), "text", LETTER_FIELDS, 10_000),
    "alert_email_subject": OrganizerText(lazy_staff_gettext("Alert email subject"), "header",
                                         CATALOGUE, 200),
    "alert_email_body": OrganizerText(lazy_staff_gettext("Alert email body"), "markdown",
                                      CATALOGUE, 10_000),
}


def field_list() -> dict:
    """The merge fields as the editor's help lists them: the fields by name, and beside a
    field its form (`forms`: field name → the form's name, e.g. Target_Name → A_Target_Name)."""
    return {"catalogue": sorted(name for key, name in CATALOGUE.items() if key not in FIELD_FORMS),
            "forms": {CATALOGUE[field]: CATALOGUE[form] for form, field in FIELD_FORMS.items()}}


def text_errors(data: dict) -> dict[str, str]:
    """Attribute → error message, for every organizer text in `data` that is too long or
    doesn't compile."""
    errors = {}
    for key, spec in ORGANIZER_TEXTS.items():
        if key in data and (error := spec.length_error(data[key] or "")):
            errors[key] = error
    return merge_field_errors(data) | errors


def merge_field_message(error: MergeFieldError) -> str:
    """The refusal of a merge field, for the staff page (the text layer gives only its key
    and values): why, the field as written, and its line and column."""
    params = error.params
    if error.code == "malformed":
        return staff_gettext("Malformed merge field %(field)s at line %(line)s, column "
                             "%(column)s.", **params)
    if error.code == "email_only":
        return staff_gettext("This merge field works only in emails %(field)s at line "
                             "%(line)s, column %(column)s.", **params)
    if error.code == "not_here":
        return staff_gettext("This merge field can't be used here %(field)s at line %(line)s, "
                             "column %(column)s.", **params)
    if error.code == "unclosed":
        return staff_gettext("Unclosed or nested merge field %(field)s at line %(line)s, "
                             "column %(column)s.", **params)
    return staff_gettext("Unknown merge field %(field)s at line %(line)s, column %(column)s.",
                         **params)


def merge_field_errors(data: dict) -> dict[str, str]:
    """Attribute → error message, for every organizer text in `data` that doesn't compile."""
    errors = {}
    for key, spec in ORGANIZER_TEXTS.items():
        if key not in data:
            continue
        try:
            spec.compile(data[key] or "")
        except MergeFieldError as error:
            hint = (staff_gettext("This text can't use merge fields.") if not spec.allowed
                    else staff_gettext("It can use only %(fields)s.", fields=", ".join(
                        f"[[{n}]]" for n in spec.allowed.values()))
                    if len(spec.allowed) < 3
                    else staff_gettext("Fields you can use are listed beside the editor."))
            errors[key] = f"{merge_field_message(error)} {hint}"
    return errors
