"""The organization's merge-field defaults per language, and the built-in ones beneath them.

A field without a value, in a text that gives no `[[Field|fallback]]`, shows a default in the
language the text is rendered in: the one staff set for that language, else the one they set
for the organization's default language, else the built-in default below, translated (the
supporter catalog). Staff rows hold only what staff chose, so a Spanish text never reads the
English "Friend" while the catalog has "Amigo/a".
"""

from flask_babel import pgettext

from ..text.merge import CATALOGUE, FIELD_FORMS

#: Fields every reader has a value for: they come from the alert and the organization.
ALWAYS_KNOWN = frozenset({"alert_title", "org_name", "action_link", "unsubscribe_link"})
#: Fields a reader may have no value for (the supporter's, their members', the deadline's):
#: the organization sets a default for each. A field's forms (FIELD_FORMS) share its default.
DEFAULTABLE_FIELDS = tuple(key for key in CATALOGUE
                           if key not in ALWAYS_KNOWN and key not in FIELD_FORMS)


def built_in_defaults() -> dict[str, str]:
    """Each defaultable field's default when staff set none, in the current language (call it
    inside the text's locale). Empty: the field shows nothing."""
    return {
        "first_name": pgettext("merge field default", "Friend"),
        "last_name": "",
        "full_name": pgettext("merge field default", "Friend"),
        "city": pgettext("merge field default", "your city"),
        "state": pgettext("merge field default", "your state"),
        "zip": pgettext("merge field default", "your ZIP code"),
        "rep_name": pgettext("merge field default", "your representative"),
        # The U.S. Capitol switchboard: it puts a caller through to any member's office.
        "rep_phone": "202-224-3121",
        "senator_names": pgettext("merge field default", "your senators"),
        "target_name": pgettext("merge field default", "your member of Congress"),
        "deadline": pgettext("merge field default", "the deadline"),
        "days_left": pgettext("merge field default", "a few"),
    }


def as_object_default(default: str) -> str:
    """A field's default in its `A_` form (FIELD_FORMS), in the current language: Spanish
    writes the personal 'a' the sentence leaves out ("pedirle a su representante"); English
    shows the default as it is."""
    return pgettext("merge field default, reached by the action", "%(default)s",
                    default=default)


def resolve_defaults(stored: dict[tuple[str, str], str], language: str,
                     default_language: str) -> dict[str, str]:
    """Field key → default in `language` (call it inside that language's locale), empty ones
    left out, each field's forms included. `stored`: (field, language) → what staff set."""
    built_in = built_in_defaults()
    defaults = {}
    for field in DEFAULTABLE_FIELDS:
        value = stored.get((field, language))
        if value is None:
            value = stored.get((field, default_language))
        if value is None:
            value = built_in.get(field, "")
        if value:
            defaults[field] = value
    defaults.update({form: as_object_default(defaults[field])
                     for form, field in FIELD_FORMS.items() if field in defaults})
    return defaults
