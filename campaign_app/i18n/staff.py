"""Staff pages' own strings: the `staff` domain (babel-staff.cfg, its own staff.pot).

Staff pages are in English for now (the selector gives them the source language), but their
strings are marked, so a translation is a catalog away. Python code marks a staff string with
staff_gettext (supporter ones with _()), or lazy_staff_gettext where it is read at import
time (a staff form's labels, descriptions, choices and validators' messages); a staff
template's {% trans %} and _() are staff ones, as babel-staff.cfg maps the staff templates.
Both domains are loaded together (init_i18n).
"""

from flask_babel import Domain
from flask_babel.speaklater import LazyString
from markupsafe import escape

STAFF_DOMAIN = "staff"

_staff = Domain(domain=STAFF_DOMAIN)
staff_gettext = _staff.gettext
staff_ngettext = _staff.ngettext


class _EscapedLazyString(LazyString):
    """Escaped where it is rendered, like the plain string it stands for: flask_babel's own
    LazyString inserts itself as markup (a label's apostrophe, a description's "<this>")."""

    def __html__(self):
        return str(escape(str(self)))


def lazy_staff_gettext(string: str, **variables) -> LazyString:
    return _EscapedLazyString(staff_gettext, string, **variables)
