"""The alert's texts per language (issue 15, item 2): written, checked and previewed on their
own staff page; an alert in one language only; the dashboard's count per language."""

import html
import re

import pytest
from sqlalchemy import select

from campaign_app.alerts.demo import demo_spanish_texts
from campaign_app.alerts.models import AlertTranslation
from campaign_app.alerts.operations import AlertError, save_translation, set_alert_language
from campaign_app.alerts.translations import reading_language, text_in
from campaign_app.core.db import db
from tests.factories import add_action, add_alert, add_supporter
from tests.helpers import form_for


def _editor(client, alert):
    return client.get(f"/staff/alerts/{alert.id}/texts/es")


def test_an_organizer_writes_the_spanish_texts(client, login):
    login("organizer")
    alert = add_alert()
    assert 'id="texts-es"' in client.get(f"/staff/alerts/{alert.id}/edit").text
    form = form_for(_editor(client, alert).text, containing="appeal")
    texts = demo_spanish_texts()
    response = client.post(form["action"] or f"/staff/alerts/{alert.id}/texts/es",
                           data={**form["fields"], **texts})
    assert response.status_code == 302
    row = db.session.scalars(select(AlertTranslation)).one()
    assert (row.language, row.title, row.appeal) == ("es", texts["title"], texts["appeal"])
    assert text_in(alert, "appeal", "es") == texts["appeal"]
    assert text_in(alert, "appeal", "en").startswith("[[First_Name]], can you")
    # A text left empty in Spanish is read in the alert's own language.
    assert text_in(alert, "letter_text", "es") == alert.letter_text


def test_an_unknown_field_in_the_spanish_text_is_refused_with_its_line_and_column(
        client, login):
    login("organizer")
    alert = add_alert()
    form = form_for(_editor(client, alert).text, containing="appeal")
    response = client.post(f"/staff/alerts/{alert.id}/texts/es", data={
        **form["fields"], "title": "Título",
        "appeal": "Hola,\nllame a [[Nombre_Del_Representante]] hoy."})
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "Unknown merge field [[Nombre_Del_Representante]] at line 2, column 9" in text
    assert db.session.scalars(select(AlertTranslation)).all() == []


def test_the_operation_checks_like_the_alerts_own_texts(db_session):
    alert = add_alert()
    with pytest.raises(AlertError) as refused:
        save_translation(alert, "es", {"share_text": "x" * 281,
                                       "alert_email_subject": "[[Sin_Cierre"})
    assert set(refused.value.errors) == {"share_text", "alert_email_subject"}
    with pytest.raises(AlertError):
        save_translation(alert, "en", {"title": "Same language as the alert"})
    with pytest.raises(AlertError):
        save_translation(alert, "fr", {"title": "Une langue non offerte"})
    save_translation(alert, "es", {"title": "Título"})
    assert [row.language for row in alert.translations] == ["es"]
    save_translation(alert, "es", {})  # every text empty: Spanish removed
    assert alert.translations == []


def test_each_language_is_previewed_on_its_own(client, login, db_session, full_data):
    login("organizer")
    alert = add_alert()
    save_translation(alert, "es", demo_spanish_texts())
    db_session.commit()
    spanish = html.unescape(client.get(f"/staff/alerts/{alert.id}/preview?lang=es").text)
    assert '<html lang="en">' in spanish  # the staff page itself stays English
    assert "Ana, ¿puede dedicar cinco minutos hoy" in spanish
    assert "Hola, me llamo Ana y vivo en el código postal 82001" in spanish
    assert "viernes" in spanish
    english = html.unescape(client.get(f"/staff/alerts/{alert.id}/preview").text)
    assert "Ana, can you take five minutes today" in english and "¿puede" not in english
    anonymous = html.unescape(client.get(
        f"/staff/alerts/{alert.id}/preview?visitor=anonymous&lang=es").text)
    assert 'title="No value for First_Name">Amigo/a</mark>, ¿puede dedicar cinco minutos hoy' \
        in anonymous


def test_an_alert_in_spanish_only(db_session, app):
    alert = add_alert(language="es", title="Solo en español")
    with app.test_request_context():
        assert reading_language(alert, "en") == "es"
        assert reading_language(alert, None) == "es"
    with pytest.raises(AlertError):
        set_alert_language(alert, "xx")
    english = add_alert()
    save_translation(english, "es", {"title": "Título"})
    with pytest.raises(AlertError):  # Spanish texts exist: empty them first
        set_alert_language(english, "es")
    assert set_alert_language(alert, "en") is True and alert.language == "en"


def test_the_dashboard_counts_actions_per_language(client, login, full_data, db_session):
    alert = add_alert()
    lupe, ana = add_supporter(first_name="Lupe"), add_supporter(first_name="Ana")
    for supporter, language in ((lupe, "es"), (lupe, "es"), (ana, "en")):
        action = add_action(alert, supporter, "H001096")
        action.language = language
    db_session.commit()
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}").text
    table = re.search(r'<table id="actions-by-language">.*?</table>', page, re.S).group(0)
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td>', table)
    assert rows == [("Español", "2", "1"), ("English", "1", "1")]


def test_a_duplicate_keeps_the_alerts_languages(db_session):
    from campaign_app.alerts.operations import duplicate_alert

    alert = add_alert(language="es", title="Solo en español")
    save_translation(alert, "en", {"title": "In English too", "appeal": "Call today."})
    copy = duplicate_alert(alert)
    db_session.commit()
    assert copy.language == "es" and copy.status == "draft"
    assert [(row.language, row.title, row.appeal) for row in copy.translations] == \
        [("en", "In English too", "Call today.")]


def test_the_spanish_texts_get_the_warnings_of_the_alerts_own(client, login):
    """A stale date and a field without a fallback in the Spanish appeal are named on save."""
    login("organizer")
    alert = add_alert()  # its deadline is a Friday
    form = form_for(_editor(client, alert).text, containing="appeal")
    response = client.post(f"/staff/alerts/{alert.id}/texts/es", data={
        **form["fields"], "title": "Título",
        "appeal": "Hola [[First_Name]]:\nfirme hasta el martes."}, follow_redirects=True)
    text = html.unescape(response.text)
    assert "Check: Appeal (Español), line 1, column 6: [[First_Name]] has no fallback" in text
    assert "Check: Appeal (Español), line 2, column 16: “martes”: it reads like the " \
        "deadline" in text


def test_the_history_keeps_the_texts_of_each_language(db_session):
    alert = add_alert()
    save_translation(alert, "es", {"title": "Título", "appeal": "Llame hoy."})
    save_translation(alert, "es", {"title": "Título", "appeal": "Llame hoy mismo."})
    db_session.commit()
    latest = alert.revisions[0]
    assert latest.changed_fields == ["appeal (es)"]
    assert latest.snapshot["appeal (es)"] == "Llame hoy mismo."
    assert latest.snapshot["language"] == "en"
    assert alert.revisions[1].snapshot["appeal (es)"] == "Llame hoy."
