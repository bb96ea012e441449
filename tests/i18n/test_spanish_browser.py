"""A Spanish-speaking supporter on a 360 px phone, in Chromium (issue 15): Spanish throughout
from the browser's Accept-Language, a call reported and an email sent, the confirmation in
Spanish from the SMTP server; the switch to English shows English and sticks. axe-core finds
no serious or critical violation on the Spanish pages."""

import pytest

from campaign_app.alerts.demo import demo_alert_data, demo_spanish_texts
from campaign_app.alerts.operations import create_alert, save_translation
from campaign_app.core.db import db
from tests.browser_checks import serious_violations
from tests.services import WorkerProcess

pytestmark = [pytest.mark.full_data, pytest.mark.e2e, pytest.mark.browser]


def _check_page(page, language="es"):
    assert page.get_attribute("html", "lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []


def test_spanish_supporter_journey_on_a_phone(app, full_data, committed_data, live_server,
                                              browser, smtp):
    with app.app_context():
        alert = create_alert({**demo_alert_data(), "channels": ["call", "email"]})
        save_translation(alert, "es", demo_spanish_texts())
        db.session.commit()
        slug = alert.slug
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, locale="es-US",
                                  extra_http_headers={"Accept-Language": "es-US,es;q=0.9"})
    page = context.new_page()
    worker = WorkerProcess().start()
    try:
        page.goto(f"{live_server}/a/{slug}")
        assert "Amigo/a, ¿puede dedicar cinco minutos hoy" in page.content()
        assert page.locator("h1").inner_text().startswith("Derechos humanos primero con México")
        assert page.locator("p.deadline").inner_text().startswith("Fecha límite: viernes")
        _check_page(page)
        page.fill("#first_name", "Lupe")
        page.fill("#last_name", "Muñoz")
        page.fill("#email", "lupe@example.org")
        page.fill("#zip_code", "90802")
        page.click("button.primary")
        if page.url.endswith("/district"):  # a ZIP spanning districts: choose the first
            _check_page(page)
            page.locator("ul.candidates button").first.click()
        assert "¡Gracias, Lupe!" in page.content()
        assert "Qué decir" in page.content() and "Hola, me llamo Lupe" in page.content()
        _check_page(page)

        card = page.locator("section.target").first
        card.locator("input[value=talked]").check()
        card.locator("button[type=submit]").click()
        assert "¡Gracias! Registramos su llamada a" in page.content()
        _check_page(page)

        page.fill("#street", "100 W Broadway")
        page.fill("#city", "Long Beach")
        page.locator("#email button.primary").click()
        assert "¡Gracias!" in page.content()
        assert "Lo que ha hecho hasta ahora:" in page.content() \
            or "Usted actuó ante todas las personas de su lista" in page.content()
        _check_page(page)

        messages = smtp.wait_for(1, timeout=60)
        confirmation = next(m for tos, m in messages if tos == ["lupe@example.org"])
        assert confirmation["Subject"].startswith("Gracias por actuar: Derechos humanos")
        text = confirmation.get_body(("plain",)).get_content()
        assert text.startswith("Estimado/a Lupe:") and "Lo que usted hizo:" in text

        page.goto(f"{live_server}/a/{slug}/thanks")
        assert "Pídales a sus amistades que también actúen" in page.content()
        _check_page(page)
        page.goto(f"{live_server}/a/{slug}/call")
        # The switch: a plain link to the same page in English; the choice sticks.
        page.click("nav.languages a[hreflang=en]")
        assert page.get_attribute("html", "lang") == "en"
        assert "Thank you, Lupe!" in page.content() and "What to say" in page.content()
        page.goto(f"{live_server}/a/{slug}/thanks")
        assert page.get_attribute("html", "lang") == "en"
        assert "Ask your friends to act too" in page.content()
        page.goto(f"{live_server}/a/{slug}")
        assert "Put human rights first with Mexico" in page.locator("h1").inner_text()
    finally:
        worker.stop()
        context.close()
