"""Merge values for a supporter and an alert, and the alert's texts rendered with them.

Every render here, like the mailings', fills a missing value with the text's own fallback, else
the organization's default for the field in the language the text is rendered in
(`merge_defaults`): one rule for pages, previews and emails.
"""

from functools import lru_cache

from flask import current_app, url_for
from flask_babel import gettext
from markupsafe import Markup

from ..core.time import format_deadline, utcnow
from ..text.merge import (
    MergeTemplate,
    MissingHandler,
    compile_template,
)
from .defaults import ALWAYS_KNOWN
from .models import Alert
from .queries import merge_defaults
from .texts import ORGANIZER_TEXTS
from .translations import text_in

#: Fields that come from the alert's deadline: an alert without one has no value for them.
DEADLINE_FIELDS = frozenset({"deadline", "days_left"})


def known_to_anyone(alert: Alert) -> frozenset[str]:
    """The fields a visitor we don't know has a value for (what `merge_values(alert)` fills)."""
    return ALWAYS_KNOWN | DEADLINE_FIELDS if alert.deadline_at else ALWAYS_KNOWN


@lru_cache(maxsize=512)
def _compiled(attribute: str, source: str) -> MergeTemplate:
    return ORGANIZER_TEXTS[attribute].compile(source)


@lru_cache(maxsize=128)
def _compiled_for_display(attribute: str, source: str) -> MergeTemplate:
    """Plain-text organizer texts as HTML: everything escaped, for a page to show."""
    spec = ORGANIZER_TEXTS[attribute]
    if spec.kind == "markdown":
        return spec.compile(source)
    return compile_template(source, "html", allowed=spec.allowed, literal_escape=True)


def merge_values(alert: Alert, supporter=None, *, lookup=None, target=None) -> dict:
    """The values of a page or a preview. The mailings' renderer builds its values from the
    same parts (alert_values, supporter_values, member_values), once per mailing and per
    recipient: a new field goes into one of them."""
    values = alert_values(alert)
    values["action_link"] = url_for("actions.alert_page", slug=alert.slug, _external=True)
    if supporter is not None:
        values.update(supporter_values(supporter))
    if lookup is not None:
        reps = lookup.representatives
        values.update(member_values(reps[0] if len(reps) == 1 else None, lookup.senators,
                                    has_senators=True))
    if target is not None:
        values.update(target_values(target))
    return values


def target_values(target) -> dict:
    """The member a script or an email is for, in each form of the name (FIELD_FORMS), in
    the page's or the email's language."""
    return {"target_name": target.titled_name, "a_target_name": target.titled_name_as_object}


def alert_values(alert: Alert, language: str | None = None) -> dict:
    """What every reader of the alert shares (the action link is each caller's own), in the
    language: the page's unless given (a mailing prepares one edition per language)."""
    values = {"alert_title": text_in(alert, "title", language),
              "org_name": current_app.config["ORG_NAME"]}
    if alert.deadline_at:
        values["deadline"] = format_deadline(alert.deadline_at, alert.time_zone, language)
        values["days_left"] = days_left(alert.deadline_at)
    return values


def days_left(deadline_at) -> str:
    """Whole days until the deadline ([[Days_Left]]): the one value that changes with the
    clock alone, so a page kept until the alert's next change must be checked against it."""
    return str(max((deadline_at - utcnow()).days, 0))


def supporter_values(supporter) -> dict:
    """The supporter's own fields (anything with the supporter's attributes)."""
    return {"first_name": supporter.first_name, "last_name": supporter.last_name,
            "full_name": supporter.full_name, "zip": supporter.zip_code,
            "city": supporter.city, "state": supporter.state}


def member_values(representative, senators, *, has_senators: bool = False) -> dict:
    """The supporter's members: their one representative, when known, and their senators
    (`has_senators`: name them even when there are none, as a page does), in the current
    language (a mailing forces each edition's around this)."""
    values = {}
    if representative is not None:
        values["rep_name"] = representative.titled_name
        values["a_rep_name"] = representative.titled_name_as_object
        values["rep_phone"] = representative.phone
    if senators or has_senators:
        conjunction = f" {gettext('and')} "
        values["senator_names"] = conjunction.join(s.titled_name for s in senators)
        # Each senator with their own article: "a la Senadora … y al Senador …".
        values["a_senator_names"] = conjunction.join(s.titled_name_as_object for s in senators)
    return values


def render_text(alert: Alert, attribute: str, values: dict,
                on_missing: MissingHandler | None = None) -> str:
    """One of the alert's organizer texts, filled in; Markdown ones come back as safe HTML."""
    # In the page's language (an email's is forced around its rendering).
    rendered = _compiled(attribute, text_in(alert, attribute)).render(
        values, on_missing, merge_defaults())
    if ORGANIZER_TEXTS[attribute].kind == "markdown":
        # Sanitized when compiled, values HTML-escaped when rendered.
        return Markup(rendered)  # noqa: S704
    return rendered


def render_for_display(alert: Alert, attribute: str, values: dict,
                       on_missing: MissingHandler | None = None) -> Markup:
    """Any organizer text as safe HTML (plain-text ones escaped), e.g. for a preview."""
    source = text_in(alert, attribute)
    # Escaped when compiled and when rendered; Markdown sanitized when compiled.
    rendered = _compiled_for_display(attribute, source).render(values, on_missing,
                                                               merge_defaults())
    return Markup(rendered)  # noqa: S704
