"""Staff pages' own strings: the `staff` domain (babel-staff.cfg, its own staff.pot).

Staff pages are in English for now (the selector gives them the source language), but their
strings are marked, so a translation is a catalog away. Python code marks a staff string with
staff_gettext (supporter ones with _()); a staff template's {% trans %} and _() are staff ones,
as babel-staff.cfg maps the staff templates. Both domains are loaded together (init_i18n).
"""

from flask_babel import Domain

STAFF_DOMAIN = "staff"

_staff = Domain(domain=STAFF_DOMAIN)
staff_gettext = _staff.gettext
