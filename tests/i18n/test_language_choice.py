"""Which language a supporter's page is in (issue 15, item 3): the link, the switch, the
stored preference, Accept-Language, the organization's default; only the alert's languages."""

import html
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.alerts.demo import demo_spanish_texts
from campaign_app.alerts.operations import save_translation
from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.tokens import make_personal_token
from tests.factories import add_alert
from tests.helpers import submit_form

SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}
ENGLISH_TITLE = "Put human rights first with Mexico"
SPANISH_TITLE = "Derechos humanos primero con México"


@pytest.fixture
def bilingual(db_session):
    alert = add_alert()
    save_translation(alert, "es", demo_spanish_texts())
    db_session.commit()
    return alert


def _lang(page) -> str:
    return re.search(r'<html lang="([^"]+)"', page.text).group(1)


def test_accept_language_gives_the_spanish_page_with_a_switch_to_english(client, bilingual):
    page = client.get(f"/a/{bilingual.slug}", headers=SPANISH)
    text = html.unescape(page.text)
    assert _lang(page) == "es"
    assert SPANISH_TITLE in text and "Encuentre a sus miembros del Congreso" in text
    assert ENGLISH_TITLE not in text
    # The switch: a plain link, labelled, naming the other language in itself, with hreflang.
    assert re.search(r'<nav class="languages" aria-label="Idioma">\s*<a href="/a/'
                     + bilingual.slug + r'\?lang=en" hreflang="en" lang="en">English</a>',
                     page.text)


def test_without_accept_language_the_organization_default_applies(client, app, bilingual,
                                                                 monkeypatch):
    assert _lang(client.get(f"/a/{bilingual.slug}")) == "en"
    monkeypatch.setitem(app.config, "DEFAULT_LANGUAGE", "es")
    assert _lang(client.get(f"/a/{bilingual.slug}")) == "es"


def test_the_switch_sticks_for_the_next_page(client, bilingual):
    english = client.get(f"/a/{bilingual.slug}?lang=en", headers=SPANISH)
    assert _lang(english) == "en" and ENGLISH_TITLE in english.text
    assert 'hreflang="es"' in english.text and ">Español</a>" in english.text
    # The next page, the browser still asking for Spanish: the choice wins.
    assert _lang(client.get(f"/a/{bilingual.slug}", headers=SPANISH)) == "en"
    assert _lang(client.get("/", headers=SPANISH)) == "en"
    assert _lang(client.get(f"/a/{bilingual.slug}?lang=es")) == "es"
    assert _lang(client.get(f"/a/{bilingual.slug}")) == "es"


def test_the_language_prefix_is_a_link_to_the_spanish_page(client, bilingual):
    response = client.get(f"/es/a/{bilingual.slug}?r=abc")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/a/{bilingual.slug}?r=abc&lang=es"
    assert _lang(client.get(f"/a/{bilingual.slug}")) == "es"


@pytest.mark.parametrize("path", ["/es//evil.example/a", "/es/\\evil.example", "/fr/a/x",
                                  "/es/%2F%2Fevil.example"])
def test_the_language_prefix_never_leaves_the_site(client, path):
    response = client.get(path)
    location = response.headers.get("Location", "")
    assert response.status_code in (302, 308, 404)
    assert urlsplit(location.replace("\\", "/")).netloc in ("", "localhost"), location


def test_an_alert_in_one_language_is_shown_in_that_language(client):
    english_only = add_alert()
    page = client.get(f"/a/{english_only.slug}", headers=SPANISH)
    assert _lang(page) == "en" and 'class="languages"' not in page.text
    assert _lang(client.get(f"/a/{english_only.slug}?lang=es")) == "en"
    spanish_only = add_alert(language="es", title="Solo en español",
                             appeal="[[First_Name|Amigo]], llame hoy.")
    page = client.get(f"/a/{spanish_only.slug}")
    assert _lang(page) == "es" and "Solo en español" in page.text
    assert "Encuentre a sus miembros del Congreso" in html.unescape(page.text)


def test_the_supporters_stored_language_is_used_when_the_page_knows_them(client, bilingual,
                                                                       db_session):
    supporter = Supporter(email="lupe@example.org", first_name="Lupe", last_name="Ruiz",
                          zip_code="82001", language="es")
    db_session.add(supporter)
    db_session.commit()
    page = client.get(f"/a/{bilingual.slug}?t={make_personal_token(supporter.id)}")
    assert _lang(page) == "es" and "Lupe" in page.text


def test_acting_stores_the_pages_language_on_the_supporter_and_the_action(client, bilingual,
                                                                        full_data):
    client.get(f"/a/{bilingual.slug}?lang=es")
    response = submit_form(client, f"/a/{bilingual.slug}", {
        "first_name": "Lupe", "last_name": "Ruiz", "email": "lupe@example.org",
        "zip_code": "82001"})
    assert response.status_code == 302
    supporter = db.session.scalars(select(Supporter).filter_by(email="lupe@example.org")).one()
    assert supporter.language == "es"
    call_page = client.get(f"/a/{bilingual.slug}/call")
    text = html.unescape(call_page.text)
    assert "Hola, me llamo Lupe y vivo en el código postal 82001" in text  # the call script
    assert "¿Cómo le fue con su llamada a" in text
    form = re.search(r'<form method="post" action="(/a/[^"]+/call)" class="report".*?</form>',
                     call_page.text, re.S).group(0)
    fields = dict(re.findall(r'name="(csrf_token|bioguide_id|submission_key)"[^>]*value="([^"]*)"',
                             form))
    done = client.post(f"/a/{bilingual.slug}/call", data={**fields, "outcome": "voicemail"},
                       follow_redirects=True)
    assert "¡Gracias! Registramos su llamada a" in html.unescape(done.text)
    assert "mensaje de voz" in html.unescape(done.text)
    assert db.session.scalars(select(Action.language)).all() == ["es"]


def test_an_unproven_browser_does_not_change_a_stored_language(client, bilingual, full_data,
                                                             db_session):
    db_session.add(Supporter(email="lupe@example.org", first_name="Lupe", last_name="Ruiz",
                             zip_code="82001", language="en"))
    db_session.commit()
    client.get(f"/a/{bilingual.slug}?lang=es")
    submit_form(client, f"/a/{bilingual.slug}", {
        "first_name": "Lupe", "last_name": "Ruiz", "email": "lupe@example.org",
        "zip_code": "82001"})
    assert db.session.scalars(select(Supporter.language)).one() == "en"


def test_form_errors_and_error_pages_are_in_spanish(client, bilingual):
    page = client.get(f"/a/{bilingual.slug}", headers=SPANISH)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    refused = client.post(f"/a/{bilingual.slug}", headers=SPANISH,
                          data={"csrf_token": token, "zip_code": "123"})
    text = html.unescape(refused.text)
    assert refused.status_code == 422
    assert "Por favor, revise el formulario:" in text
    assert "Por favor, ingrese su nombre." in text
    assert "Por favor, ingrese un código postal de EE. UU. de 5 dígitos, como 20001." in text
    missing = client.get("/a/no-such-alert", headers=SPANISH)
    assert missing.status_code == 404 and _lang(missing) == "es"
    assert "Página no encontrada" in html.unescape(missing.text)


def test_the_rate_limit_page_is_in_spanish(client, app, bilingual, monkeypatch):
    monkeypatch.setitem(app.config, "ACTION_LIMIT_PER_IP", 1)
    client.post(f"/a/{bilingual.slug}", headers=SPANISH, data={})
    limited = client.post(f"/a/{bilingual.slug}", headers=SPANISH, data={})
    assert limited.status_code == 429
    assert "Demasiadas solicitudes" in limited.text and _lang(limited) == "es"


def test_staff_pages_stay_in_english(client, login, bilingual):
    login("organizer")
    page = client.get(f"/staff/alerts/{bilingual.id}/edit", headers=SPANISH)
    assert _lang(page) == "en" and 'class="languages"' not in page.text
