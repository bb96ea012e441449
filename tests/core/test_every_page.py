"""Every page of the site, public and staff, and the error pages: each links a favicon that is
there, so no page makes the browser ask for a missing /favicon.ico (issue 12 item 11), and no
page repeats an element id (item 6: a label must reach its own field)."""

import re

import pytest

from campaign_app.alerts.models import AlertRevision
from campaign_app.core.db import db
from campaign_app.mailings.operations import create_mailing
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.tokens import make_unsubscribe_token
from campaign_app.webhooks.models import WebhookEndpoint
from tests.factories import add_alert
from tests.helpers import submit_form

pytestmark = pytest.mark.full_data

ID = re.compile(r'\sid="([^"]+)"')
ICON = re.compile(r'<link rel="icon"[^>]* href="([^"]+)"')
#: Downloads and assets, not pages: they have no <head> to link an icon from.
DOWNLOADS = (".csv", ".pdf", ".txt", ".json", ".js", ".css")
#: Probes for load balancers, answered in JSON (tests/health).
PROBES = ("/healthz", "/readyz")
#: The API and its OpenAPI description answer JSON, not pages (tests/api checks them).
JSON_BLUEPRINTS = ("api", "api-docs")


def _every_page(app, values) -> list[str]:
    """A URL for every GET route, its arguments filled from `values`; a route whose arguments
    are not there fails the test, so a new page can't slip past it."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.rule.endswith(DOWNLOADS) or rule.rule in PROBES:
            continue
        if rule.endpoint.split(".")[0] in JSON_BLUEPRINTS:
            continue
        missing = rule.arguments - values.keys()
        assert not missing, f"{rule.rule}: the test has no value for {missing}"
        with app.test_request_context():
            from flask import url_for

            urls.append(url_for(rule.endpoint, **{name: values[name]
                                                  for name in rule.arguments}))
    return urls


def _repeated_ids(page: str) -> list[str]:
    ids = ID.findall(page)
    return sorted({value for value in ids if ids.count(value) > 1})


def test_every_page_links_a_favicon_that_resolves(app, client, login, full_data):
    alert = add_alert(channels=["call", "email", "signon"])
    assert submit_form(client, f"/a/{alert.slug}", {
        "first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
        "zip_code": "82001"}).status_code == 302
    # The district step, with a form per candidate district (91711 spans several).
    spanning = add_alert()
    district_step = submit_form(client, f"/a/{spanning.slug}", {
        "first_name": "Bo", "last_name": "Lee", "email": "bo@example.org",
        "zip_code": "91711"}).headers["Location"]
    assert district_step.endswith("/district")
    login("admin")
    ana = db.session.query(Supporter).filter_by(email="ana@example.org").one()
    mailing = create_mailing(alert, {"type": "all"})
    db.session.commit()
    revision = db.session.query(AlertRevision).filter_by(alert_id=alert.id).first()
    endpoint = WebhookEndpoint(url="https://crm.example.org/hooks", events=["person.created"],
                               secret="whsec_" + "A" * 32)
    db.session.add(endpoint)
    db.session.commit()
    values = {"slug": alert.slug, "alert_id": alert.id, "revision_id": revision.id,
              "mailing_id": mailing.id, "token": make_unsubscribe_token(ana.id),
              # /es/a/<slug> (issue 15), followed to the Spanish page
              "language": "es", "path": f"a/{alert.slug}",
              "endpoint_id": endpoint.id,
              "supporter_id": ana.id}
    pages = _every_page(app, values) + [district_step, "/no-such-page",
                                          f"/a/{alert.slug}/sign"]
    assert len(pages) > 25

    icons = set()
    anonymous = app.test_client()  # the login page, as someone not logged in sees it
    for browser, url in [(client, url) for url in pages] + [(anonymous, "/login")]:
        response = browser.get(url, follow_redirects=True)
        assert response.mimetype == "text/html", url
        assert response.status_code in (200, 404, 405), (url, response.status_code)
        found = ICON.findall(response.text)
        assert len(found) == 1, f"{url} links {len(found)} favicons"
        icons.update(found)
        assert _repeated_ids(response.text) == [], url
    for icon in icons:
        with client.get(icon) as response:
            assert response.status_code == 200, icon
            assert response.mimetype == "image/png"
            assert response.data.startswith(b"\x89PNG")
