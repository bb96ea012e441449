"""Merge-field defaults per language (issue 15): a text reads the organization's default in
its own language, else the default language's, else the built-in one in its language.

Before, one default per field held English text: a Spanish supporter whose text gave no
`|fallback` read "Friend" or "your representative" in the middle of Spanish. Each test below
fails on that code: `set_merge_defaults(..., language=)` did not exist, and the Spanish page,
preview, email and mailing read the English default.
"""

import email
import html
from email.policy import default as default_policy

import pytest
from flask_babel import force_locale

from campaign_app.actions.emails import suggested_email
from campaign_app.alerts.operations import save_translation, set_merge_defaults
from campaign_app.alerts.queries import merge_defaults
from campaign_app.congress.queries import lookup_zip
from campaign_app.core.db import db
from campaign_app.mailings import batches
from campaign_app.mailings import operations as mailing_operations
from campaign_app.mailings.messages import MailingRenderer
from campaign_app.mailings.queries import claimed_recipients
from tests.factories import add_alert, add_supporter
from tests.helpers import form_for

APPEAL_EN = "[[First_Name]], please ask [[A_Rep_Name]] to sign."
APPEAL_ES = "[[First_Name]], pídale [[A_Rep_Name]] que firme."


def _bilingual(own=None, **spanish):
    alert = add_alert(**{"appeal": APPEAL_EN,
                         "alert_email_subject": "[[First_Name]], five minutes?",
                         "alert_email_body": APPEAL_EN, **(own or {})})
    save_translation(alert, "es", {"title": "Derechos humanos primero", "appeal": APPEAL_ES,
                                   "alert_email_subject": "[[First_Name]], ¿cinco minutos?",
                                   "alert_email_body": APPEAL_ES, **spanish})
    db.session.commit()
    return alert


def _page(client, alert, language) -> str:
    return html.unescape(client.get(f"/a/{alert.slug}?lang={language}").text)


def test_each_page_reads_the_default_of_its_language(client):
    set_merge_defaults({"first_name": "Neighbor", "rep_name": "your congressperson"})
    set_merge_defaults({"first_name": "Vecina", "rep_name": "su congresista"}, language="es")
    db.session.commit()
    alert = _bilingual()
    spanish, english = _page(client, alert, "es"), _page(client, alert, "en")
    # The A_ form shares its field's default, with Spanish's personal "a".
    assert "Vecina, pídale a su congresista que firme." in spanish
    assert "Neighbor" not in spanish and "congressperson" not in spanish
    assert "Neighbor, please ask your congressperson to sign." in english
    assert "Vecina" not in english


def test_without_defaults_of_its_own_spanish_reads_the_built_in_spanish_ones(client):
    """No staff row at all: each language reads the built-in default in its language (the
    supporter catalog), never the English one in Spanish text."""
    alert = _bilingual()
    assert "Amigo/a, pídale a su representante que firme." in _page(client, alert, "es")
    assert "Friend, please ask your representative to sign." in _page(client, alert, "en")


def test_a_language_without_its_own_default_reads_the_default_languages(client):
    """The organization chose an English default and none in Spanish: Spanish reads the
    organization's choice, not the built-in one it replaced."""
    set_merge_defaults({"first_name": "Neighbor"})
    db.session.commit()
    alert = _bilingual()
    assert "Neighbor, pídale a su representante que firme." in _page(client, alert, "es")


def test_the_spanish_preview_marks_the_spanish_default(client, login):
    login("organizer")
    set_merge_defaults({"first_name": "Vecina"}, language="es")
    db.session.commit()
    alert = _bilingual()
    spanish = html.unescape(client.get(
        f"/staff/alerts/{alert.id}/preview?visitor=anonymous&lang=es").text)
    english = html.unescape(client.get(
        f"/staff/alerts/{alert.id}/preview?visitor=anonymous&lang=en").text)
    assert '<mark class="missing" title="No value for First_Name">Vecina</mark>, pídale' \
        in spanish
    assert '<mark class="missing" title="No value for First_Name">Friend</mark>, please' \
        in english


@pytest.mark.full_data
def test_the_suggested_email_reads_the_default_of_its_language(app, db_session, full_data):
    """The email to Congress, in the language it is written in."""
    set_merge_defaults({"city": "mi ciudad"}, language="es")
    db.session.commit()
    alert = _bilingual({"email_body": "I live in [[City]]; please sign."},
                       email_body="Vivo en [[City]] y le pido que firme.")
    supporter = add_supporter(first_name="Lupe", zip_code="82001", state="WY", district=0)
    with app.test_request_context("/"):
        with force_locale("es"):
            spanish = suggested_email(alert, supporter, lookup_zip("82001"))
        with force_locale("en"):
            english = suggested_email(alert, supporter, lookup_zip("82001"))
    assert "Vivo en mi ciudad y le pido que firme." in spanish.body
    assert "I live in your city; please sign." in english.body


def test_a_mailing_gives_each_supporter_the_default_of_their_language(db_session):
    set_merge_defaults({"first_name": "Neighbor"})
    set_merge_defaults({"first_name": "Vecina"}, language="es")
    db.session.commit()
    alert = _bilingual()
    # Without a known seat, so their representative is the default too.
    unknown_seat = {"first_name": "", "state": None, "district": None}
    add_supporter(email="lupe@example.org", language="es", **unknown_seat)
    add_supporter(email="bo@example.org", language="en", **unknown_seat)
    mailing = mailing_operations.create_mailing(alert, {"type": "all"})
    renderer = MailingRenderer(mailing, alert)
    messages = {person.email: email.message_from_bytes(renderer.render(person).data,
                                                       policy=default_policy)
                for person in claimed_recipients(batches.claim_batch(mailing.id, 10))}
    lupe, bo = messages["lupe@example.org"], messages["bo@example.org"]
    assert lupe["Subject"] == "Vecina, ¿cinco minutos?"
    assert "Vecina, pídale a su representante que firme." in \
        lupe.get_body(("plain",)).get_content()
    assert bo["Subject"] == "Neighbor, five minutes?"
    assert "Neighbor, please ask your representative to sign." in \
        bo.get_body(("plain",)).get_content()


def test_the_defaults_page_edits_each_language_and_clearing_spanish_falls_back(
        client, login):
    login("organizer")
    alert = _bilingual()
    page = client.get("/staff/alerts/merge-fields")
    fields = form_for(page.text, containing="es_first_name")["fields"]
    assert fields["en_first_name"] == "Friend" and fields["es_first_name"] == ""
    assert 'placeholder="Amigo/a"' in html.unescape(page.text)  # what an empty box reads
    response = client.post("/staff/alerts/merge-fields",
                           data={**fields, "es_first_name": "Vecina"})
    assert response.status_code == 302
    assert "Vecina, pídale" in _page(client, alert, "es")
    assert "Friend, please ask" in _page(client, alert, "en")

    fields = form_for(client.get("/staff/alerts/merge-fields").text,
                      containing="es_first_name")["fields"]
    assert fields["es_first_name"] == "Vecina"
    client.post("/staff/alerts/merge-fields", data={**fields, "es_first_name": ""})
    assert "Amigo/a, pídale" in _page(client, alert, "es")


def test_an_unknown_language_is_refused(db_session):
    with pytest.raises(ValueError, match="fr"):
        set_merge_defaults({"first_name": "Ami"}, language="fr")


def test_merge_defaults_keep_each_language_apart_in_one_request(app, db_session):
    """One task renders both languages (a mailing): each language's defaults are its own."""
    set_merge_defaults({"rep_name": "su congresista"}, language="es")
    with app.test_request_context("/"):
        assert merge_defaults("es")["a_rep_name"] == "a su congresista"
        assert merge_defaults("en")["a_rep_name"] == "your representative"
