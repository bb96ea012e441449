"""A Spanish-speaking supporter end to end (issue 15, items 3 and 4): the email to Congress
keeps their Spanish, the confirmation is written in Spanish, mailings go to each supporter in
their language."""

import html
import time
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import insert, select

from campaign_app.alerts.demo import demo_alert_data, demo_spanish_texts
from campaign_app.alerts.operations import create_alert, save_translation
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.delivery.messages import build_cwc_message
from campaign_app.delivery.models import Delivery
from campaign_app.delivery.tasks import send_delivery
from campaign_app.mailings import operations
from campaign_app.mailings.tasks import queue_mailing
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert
from tests.helpers import form_for, submit_form
from tests.services import WorkerProcess

LUPE = {"first_name": "Lupe", "last_name": "Muñoz", "email": "lupe@example.org",
        "zip_code": "82001"}
ADDRESS = {"prefix": "Ms.", "street": "2020 Carey Ave", "city": "Cheyenne",
           "phone": "307-555-0100"}
SPANISH = {"Accept-Language": "es-US,es;q=0.9"}


@pytest.fixture
def bilingual(db_session):
    alert = add_alert()
    save_translation(alert, "es", demo_spanish_texts())
    db_session.commit()
    return alert


@pytest.mark.full_data
def test_a_spanish_email_reaches_congress_in_spanish(client, bilingual, cwc_server):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = SPANISH["Accept-Language"]  # every request
    submit_form(client, f"/a/{bilingual.slug}", LUPE)
    form = form_for(client.get(f"/a/{bilingual.slug}/call").text, containing="body")
    assert form["fields"]["body"].startswith("Estimado/a [[Target_Name]]:")
    assert form["fields"]["subject"] == demo_spanish_texts()["email_subject"]
    body = form["fields"]["body"] + "\n\nVivo en Cheyenne y me importa mucho: ¡gracias!"
    done = client.post(form["action"], data={**form["fields"], **ADDRESS, "body": body},
                       follow_redirects=True)
    assert "¡Gracias! Su correo electrónico va en camino." in html.unescape(done.text)
    deliveries = db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email").order_by(Delivery.id)).all()
    assert len(deliveries) == 3
    xml = build_cwc_message(deliveries[0])
    # UTF-8 as declared: the accents are bytes of UTF-8, not character references.
    assert xml.decode("utf-8").count("México") >= 1 and "&#" not in xml.decode("utf-8")
    ET.fromstring(xml)
    for delivery in deliveries:
        assert send_delivery.apply(args=[delivery.id]).get() == "delivered"
    house = next(r for r in cwc_server.received
                 if r.findtext("Recipient/MemberOffice") == "HWY00")
    assert house.findtext("Message/Subject") == demo_spanish_texts()["email_subject"]
    message = house.findtext("Message/ConstituentMessage")
    assert message.startswith("Estimado/a Representante Harriet M. Hageman:")
    assert "derechos humanos" in message and message.endswith("me importa mucho: ¡gracias!")
    assert house.findtext("Constituent/LastName") == "Muñoz"


@pytest.mark.full_data
def test_the_confirmation_is_written_in_the_language_the_supporter_acted_in(
        client, bilingual, smtp):
    client.get(f"/a/{bilingual.slug}?lang=es")
    submit_form(client, f"/a/{bilingual.slug}", LUPE)
    page = client.get(f"/a/{bilingual.slug}/call").text
    form = form_for(page, containing="bioguide_id")
    client.post(form["action"], data={**form["fields"], "outcome": "talked"})
    confirmation = db.session.scalars(select(Delivery).where(
        Delivery.kind == "confirmation")).one()
    assert send_delivery.apply(args=[confirmation.id]).get() == "delivered"
    [(recipients, message)] = smtp.wait_for(1)
    assert recipients == ["lupe@example.org"]
    assert message["Subject"].startswith("Gracias por actuar: Derechos humanos primero")
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Estimado/a Lupe:")
    assert "Lo que usted hizo:" in text
    assert "Llamó a la Representante Harriet M. Hageman: Conversación con el personal" in text
    assert "La fecha límite es el viernes, " in text and "p.m. E" in text
    html_part = message.get_body(("html",)).get_content()
    assert '<html lang="es">' in html_part


def _supporters(languages: dict[str, str | None]) -> None:
    now = utcnow()
    db.session.execute(insert(Supporter), [
        {"email": email, "first_name": email.split("@")[0].title(), "last_name": "Test",
         "zip_code": "82001", "state": "WY", "district": 0, "is_subscribed": True,
         "is_undeliverable": False, "created_at": now, "updated_at": now, "language": language}
        for email, language in languages.items()])


@pytest.mark.e2e
def test_a_mailing_reaches_each_supporter_in_their_language(app, committed_data, smtp):
    people = {"lupe@example.org": "es", "ana@example.org": "en", "bo@example.org": None,
              "remy@example.org": "fr"}  # a language no longer offered
    with app.app_context():
        alert = create_alert(demo_alert_data())
        save_translation(alert, "es", demo_spanish_texts())
        _supporters(people)
        mailing = operations.create_mailing(alert, {"type": "all"})
        operations.start_mailing(mailing)
        db.session.commit()
        queue_mailing(mailing.id)
    worker = WorkerProcess().start()
    try:
        messages = smtp.wait_for(4, timeout=90)
        time.sleep(0.5)
    finally:
        worker.stop()
    by_recipient = {tos[0]: message for tos, message in messages}
    assert sorted(by_recipient) == sorted(people)
    lupe = by_recipient["lupe@example.org"]
    assert lupe["Subject"] == "Lupe, ¿cinco minutos por los derechos humanos en México?"
    text = lupe.get_body(("plain",)).get_content()
    assert text.startswith("Lupe, ¿puede dedicar cinco minutos hoy")
    assert "Recibe este mensaje porque pidió recibir alertas de acción." in text
    assert "Cancelar la suscripción: http" in text
    assert '<html lang="es">' in lupe.get_body(("html",)).get_content()
    # English for the English reader, and the organization's default (English) for the
    # supporter who never chose and the one whose language is no longer offered.
    for email in ("ana@example.org", "bo@example.org", "remy@example.org"):
        message = by_recipient[email]
        name = email.split("@")[0].title()
        assert message["Subject"] == f"{name}, five minutes for human rights in Mexico?"
        text = message.get_body(("plain",)).get_content()
        assert "You receive this because you asked for action alerts." in text
        assert "Recibe" not in text
