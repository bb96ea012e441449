"""Staff strings reach staff pages through the staff catalog (issue 15, item 1: English for now,
extractable for a translation). A test catalog built from the committed staff.pot writes every
letter of every message in full-width letters; rendered in its locale, a staff text that still
shows an English word of its own was not marked, or not extracted into staff.pot."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale

from campaign_app.alerts.checks import text_warnings
from campaign_app.alerts.models import SIGNER_LISTS, Alert, AlertTranslation
from campaign_app.alerts.operations import publication_problems
from campaign_app.alerts.texts import merge_field_errors
from campaign_app.api.models import SCOPE_LABELS
from campaign_app.auth.forms import ROLE_CHOICES
from campaign_app.delivery.refusals import advice
from campaign_app.embeds.style import style_problems
from campaign_app.exports.queries import EXPORTS
from campaign_app.i18n import staff
from campaign_app.i18n.catalogs import TRANSLATIONS_DIR
from campaign_app.mailings.segments import SEGMENT_TYPES
from campaign_app.signons.queries import ORGANIZATION_ORDERS
from campaign_app.text.merge import CATALOGUE
from campaign_app.webhooks.models import EVENT_TYPES

#: A locale no page of the app offers: its staff catalog exists only in this test.
TEST_LOCALE = "fr"
_PLACEHOLDER = re.compile(r"(%\(\w+\)[sd])")
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def _full_width(text: str) -> str:
    """Every ASCII letter outside the placeholders, in its full-width form ('Ａｐｐｅａｌ')."""
    return "".join(part if _PLACEHOLDER.fullmatch(part) else re.sub(
        r"[A-Za-z]", lambda letter: chr(ord(letter.group()) + 0xFEE0), part)
        for part in _PLACEHOLDER.split(text))


@pytest.fixture
def test_locale_app(other_app, tmp_path):
    """An app whose staff catalog for TEST_LOCALE is the committed staff.pot, transformed."""
    with (TRANSLATIONS_DIR / "staff.pot").open("rb") as pot_file:
        catalog = read_po(pot_file, locale=TEST_LOCALE)
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            message.string = tuple(_full_width(i) for i in ids) if len(ids) > 1 \
                else _full_width(ids[0])
    folder = tmp_path / TEST_LOCALE / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "staff.mo").open("wb") as mo_file:
        write_mo(mo_file, catalog)
    # flask_babel keeps loaded catalogs on the domain, by locale: none for this one before or
    # after, so no other test reads it.
    staff._staff.cache.pop((TEST_LOCALE, staff.STAFF_DOMAIN), None)
    app = other_app({"BABEL_TRANSLATION_DIRECTORIES": f"{tmp_path};{tmp_path}"})
    yield app
    staff._staff.cache.pop((TEST_LOCALE, staff.STAFF_DOMAIN), None)


def _in(app, locale: str, render):
    with app.test_request_context("/staff/"), force_locale(locale):
        return render()


def _english_left(app, render, allowed: str = "") -> set[str]:
    """English words the staff text shows in the test locale too, beyond those of `allowed`
    (what the organizer wrote, field names: values, not the message's own words)."""
    english = _in(app, "en", render)
    other = _in(app, TEST_LOCALE, render)
    assert english != other
    return (set(_WORD.findall(" ".join(english))) & set(_WORD.findall(" ".join(other)))) \
        - set(_WORD.findall(allowed))


def _deadline(days: int) -> datetime:
    return datetime(2026, 12, 18, 17, tzinfo=ZoneInfo("America/New_York")) + timedelta(days)


def test_text_warnings_are_staff_strings(test_locale_app):
    """alerts/checks.py: a missing fallback (with and without the organization's default), a
    weekday that is not its date's, a date and a weekday that read like another deadline
    (one date with two problems), in the alert's own texts and in its Spanish ones."""
    texts = {"appeal": "Hi [[First_Name]] from [[Last_Name]]!",
             "call_script": "We met on Friday, December 15.",
             "thank_you_text": "Sign until Friday, July 15, or sign until Monday."}
    spanish = AlertTranslation(language="es", appeal="Hola [[Last_Name]]")

    def render():
        alert = Alert(title="A", time_zone="America/New_York", deadline_at=_deadline(0),
                      **texts)
        alert.translations.append(spanish)
        warnings = text_warnings(alert)
        assert len(warnings) == 6
        return [str(warning) for warning in warnings]

    written = " ".join([*texts.values(), spanish.appeal, "Español", "Friend"])
    assert _english_left(test_locale_app, render, written) == set()


def test_merge_field_refusals_are_staff_strings(test_locale_app):
    """text/merge.py gives a key and values; alerts.texts words each refusal for the page."""
    sources = {"appeal": "Hi [[Frist_Name]]", "call_script": "[[first name]]",
               "email_body": "[[Unsubscribe_Link]]", "letter_text": "Dear [[First_Name]]",
               "thank_script": "Hi [[First_Name", "share_text": "[[City]]"}

    def render():
        errors = merge_field_errors(sources)
        assert set(errors) == set(sources)
        return list(errors.values())

    allowed = " ".join([*sources.values(), *CATALOGUE.values()])
    assert _english_left(test_locale_app, render, allowed) == set()
    english = _in(test_locale_app, "en", render)
    assert "Unknown merge field [[Frist_Name]] at line 1, column 4." in english[0]


def test_choice_labels_of_constants_are_staff_strings(test_locale_app):
    def render():
        labels = [*SIGNER_LISTS.values(), *SCOPE_LABELS.values(), *EVENT_TYPES.values(),
                  *(choice.label for choice in ROLE_CHOICES), *SEGMENT_TYPES.values(),
                  *ORGANIZATION_ORDERS.values(),
                  *(text for export in EXPORTS.values()
                    for text in (export.title, export.contact_note))]
        return [str(label) for label in labels]

    assert _english_left(test_locale_app, render) == set()


def test_embed_style_refusals_are_staff_strings(test_locale_app):
    def render():
        problems = [*style_problems({"--alerta-evil": "#000"}).values(),
                    *style_problems({"--alerta-accent": " "}).values(),
                    *style_problems({"--alerta-accent": "red"}).values(),
                    *style_problems({"--alerta-font": "Arial; x"}).values(),
                    *style_problems({"--alerta-accent": "#ffffff",
                                     "--alerta-accent-text": "#eeeeee"}).values()]
        assert len(problems) == 5
        return problems

    assert _english_left(test_locale_app, render) == set()


def test_publication_problems_and_refusal_advice_are_staff_strings(test_locale_app):
    def render():
        alert = Alert(title="A", appeal=" ", channels=["call", "email"], call_script="",
                      email_subject="", email_body="", target_rule="listed", target_ids=[],
                      deadline_at=_deadline(-3650))
        problems = list(publication_problems(alert).values())
        assert len(problems) >= 5
        reasons = ["not an active office", "Malformed XML", "Delivery", "Constituent",
                   "ConstituentMessage", "Subject", "something new"]
        return problems + [advice(reason) for reason in reasons]

    assert _english_left(test_locale_app, render) == set()
