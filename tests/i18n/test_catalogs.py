"""The catalogs (issue 15): the Spanish one complete and current, and compiled without a build
step; every supporter page and email rendered in Spanish keeps no English of the interface."""

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template
from flask_babel import force_locale

from campaign_app.alerts.demo import demo_spanish_texts
from campaign_app.alerts.operations import save_translation
from campaign_app.i18n.catalogs import TRANSLATIONS_DIR, compile_catalogs
from campaign_app.supporters.tokens import make_unsubscribe_token
from tests.factories import add_alert
from tests.helpers import form_for, submit_form

REPO = Path(__file__).resolve().parent.parent.parent
SPANISH_PO = TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _catalog():
    with SPANISH_PO.open("rb") as po_file:
        return read_po(po_file, locale="es")


def test_every_spanish_message_is_translated_and_none_is_fuzzy():
    catalog = _catalog()
    untranslated, fuzzy, placeholders = [], [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        if any(sorted(PLACEHOLDER.findall(s)) != wanted for s in strings if s):
            placeholders.append(message.id)
    assert untranslated == [] and fuzzy == [] and placeholders == []
    assert not catalog.fuzzy


def test_the_catalog_holds_every_message_of_the_code(tmp_path):
    """`pybabel extract` finds nothing the catalog lacks: a new string can't ship English."""
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2",
                    "-k", "_l", "-o", str(template), "."], cwd=REPO, check=True)
    with template.open("rb") as pot_file:
        extracted = {m.id for m in read_po(pot_file) if m.id}
    in_catalog = {m.id for m in _catalog() if m.id}
    assert extracted - in_catalog == set()


def test_compiled_catalogs_are_built_when_missing_or_stale(tmp_path):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes(SPANISH_PO.read_bytes())
    assert compile_catalogs(tmp_path) == [folder / "messages.mo"]
    assert compile_catalogs(tmp_path) == []  # up to date: left alone
    (folder / "messages.po").touch()
    mo = folder / "messages.mo"
    import os

    os.utime(mo, (mo.stat().st_mtime - 10,) * 2)
    assert compile_catalogs(tmp_path) == [mo]


def _english_left(page: str, english: list[str]) -> list[str]:
    """English message ids (their words between placeholders) still in the page's text."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"\s+", " ", text)
    return [chunk for chunk in english if chunk in text]


def _english_chunks() -> list[str]:
    """The literal runs of every message id whose Spanish differs, long enough to be English
    sentences rather than words Spanish shares (names like 'Facebook')."""
    chunks = set()
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue
            plain = re.sub(r"<[^>]+>", " ", msgid)
            for chunk in PLACEHOLDER.split(plain):
                chunk = re.sub(r"\s+", " ", chunk).strip(" .,:;!?()—-")
                if len(chunk) >= 8 and " " in chunk:
                    chunks.add(chunk)
    return sorted(chunks)


@pytest.fixture
def spanish_alert(db_session):
    alert = add_alert(channels=["call", "email", "signon"], signature_goal=100,
                      public_signer_list="initials_city", letter_text="Dear [[Target_Name]],")
    save_translation(alert, "es", demo_spanish_texts())
    db_session.commit()
    return alert


def test_every_supporter_page_renders_in_spanish_without_english(client, spanish_alert,
                                                                 full_data, db_session):
    english = _english_chunks()
    assert len(english) > 100
    slug = spanish_alert.slug
    pages = {}
    pages["front door"] = client.get("/?lang=es").text
    pages["alert"] = client.get(f"/a/{slug}?lang=es").text
    token = form_for(pages["alert"], containing="zip_code")["fields"]["csrf_token"]
    pages["alert, refused"] = client.post(f"/a/{slug}", data={"csrf_token": token,
                                                              "zip_code": "x"}).text
    submit_form(client, f"/a/{slug}", {"first_name": "Lupe", "last_name": "Ruiz",
                                       "email": "lupe@example.org", "zip_code": "82001"})
    pages["call"] = client.get(f"/a/{slug}/call").text
    email = form_for(pages["call"], containing="body")
    pages["email, refused"] = client.post(email["action"], data={
        **email["fields"], "street": "", "city": ""}).text
    pages["thanks"] = client.get(f"/a/{slug}/thanks").text
    submit_form(client, f"/a/{slug}", {"first_name": "Bo", "last_name": "Lee",
                                       "email": "bo@example.org", "zip_code": "91711"})
    pages["district"] = client.get(f"/a/{slug}/district").text
    pages["organizations"] = client.get(f"/a/{slug}/organizations").text
    from campaign_app.supporters.models import Supporter

    lupe = db_session.query(Supporter).filter_by(email="lupe@example.org").one()
    pages["unsubscribe"] = client.get(f"/u/{make_unsubscribe_token(lupe.id)}").text
    pages["unsubscribe, bad link"] = client.get("/u/not-a-token").text
    pages["404"] = client.get("/no-such-page").text
    for name, page in pages.items():
        assert '<html lang="es">' in page, name
        assert _english_left(page, english) == [], name


def test_the_supporter_emails_render_in_spanish_without_english(app, spanish_alert):
    english = _english_chunks()
    from campaign_app.supporters.models import Supporter

    supporter = Supporter(email="lupe@example.org", first_name="Lupe", last_name="Ruiz",
                          zip_code="82001")
    with app.test_request_context(), force_locale("es"):
        context = {"supporter": supporter, "alert": spanish_alert, "actions": []}
        for name in ("email/confirmation.txt", "email/confirmation.html",
                     "email/confirmation_subject.txt"):
            rendered = render_template(name, **context)
            assert _english_left(rendered, english) == [], name
            assert "Gracias por actuar" in rendered
        footer = {"org_name": "Alerta", "postal_address": "1 Main St"}
        for name in ("email/mailing.txt", "email/mailing.html"):
            rendered = render_template(name, body="", footer=footer, unsubscribe_link="u")
            assert _english_left(rendered, english) == [], name
            assert "Recibe este mensaje porque pidió recibir alertas de acción." in rendered


@pytest.mark.parametrize("language,refusal", [("es", "Opción inválida."),
                                              ("en", "Not a valid choice.")])
def test_wtforms_own_messages_follow_the_pages_language(client, spanish_alert, full_data,
                                                        language, refusal):
    """A message of WTForms itself (here a radio button's value no form offers) comes from
    WTForms' catalog in the page's language (Flask-WTF's i18n, with Flask-Babel's locale)."""
    slug = spanish_alert.slug
    client.get(f"/a/{slug}?lang={language}")
    submit_form(client, f"/a/{slug}", {"first_name": "Lupe", "last_name": "Ruiz",
                                       "email": "lupe@example.org", "zip_code": "82001"})
    call = form_for(client.get(f"/a/{slug}/call").text, containing="bioguide_id")
    page = client.post(call["action"], data={**call["fields"], "outcome": "hacked"})
    assert page.status_code in (200, 422)
    text = html.unescape(page.text)
    assert f'<html lang="{language}">' in text and refusal in text


def _extract(tmp_path, *args) -> set[str]:
    template = tmp_path / "extracted.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", *args,
                    "-o", str(template), "."], cwd=REPO, check=True)
    with template.open("rb") as pot_file:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot_file) if m.id}


def test_staff_strings_are_extracted_into_their_own_domain(tmp_path):
    """Staff pages stay English but are extractable (issue 15, item 1): babel-staff.cfg
    gathers their templates' and views' strings into staff.pot, and none of them joins the
    supporter catalog, which must be all Spanish."""
    staff = _extract(tmp_path, "-F", "babel-staff.cfg", "--no-default-keywords",
                     "-k", "staff_gettext", "-k", "staff_ngettext:1,2", "-k", "lazy_staff_gettext")
    supporter = _extract(tmp_path, "-F", "babel.cfg", "-k", "lazy_gettext",
                         "-k", "lazy_ngettext:1,2", "-k", "_l")
    assert {"Actions by language", "Calls by outcome",  # a staff template
            "You are logged out.",  # a staff view's flash message
            "Supporter %(supporter_id)s is erased; their actions stay as counts.",
            "Longest email a supporter may send (characters)",  # a staff form's label
            "Please give a length limit.",  # … its validator's message
            "Pro: for the bills",  # … a choice
            "The last admin can't be disabled.",  # a staff operation's refusal
            "Recorded %(num)d signature from the file.",  # a staff flash, with a plural
            "Not recorded",  # a string inside a staff template's expression
            "This alert can be embedded on: %(sites)s.",  # the embed settings page
            "Alerta never calls these numbers and never connects them when they call in.",
            "Provider outcome",  # the telephony staff pages
            # Text warnings, merge-field refusals (the text layer gives only a key), choice
            # labels of constants, the embed's style refusals (the staff test locale renders
            # each: test_staff_domain.py).
            "%(text)s, line %(line)s, column %(column)s: %(message)s",
            "Unknown merge field %(field)s at line %(line)s, column %(column)s.",
            "First name, last initial and city", "A person's record changed",
            "Read, without emails and phone numbers", "Organizer",
            "Too little contrast with %(other)s (at least %(ratio)s:1 for reading)."} <= staff
    assert len(staff) > 600
    # A staff form's strings left the supporter catalog (they were filed there before).
    assert not {"Please tick at least one member to record.", "Source"} & supporter
    # A word both kinds of page use ('Email') is in both; no staff sentence is a supporter's.
    assert not {"Actions by language", "You are logged out."} & supporter
    assert "Thank you! Your name is on the letter." in supporter - staff
    committed = TRANSLATIONS_DIR / "staff.pot"
    with committed.open("rb") as pot_file:
        committed_ids = {m.id if isinstance(m.id, str) else m.id[0]
                         for m in read_po(pot_file) if m.id}
        assert staff - committed_ids == set()

