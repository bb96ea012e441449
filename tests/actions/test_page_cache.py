"""The anonymous alert page, kept rendered in each process (actions.page_cache): staff
changes reach every process on the next request, and a browser gets its own CSRF token.

Two apps on one database stand for two processes: each holds its own cache and pool."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from campaign_app.alerts.operations import (
    close_alert,
    save_translation,
    set_merge_defaults,
    update_alert,
)
from campaign_app.alerts.queries import get_alert_by_slug
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.supporters.models import Submission
from tests.factories import add_alert
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}


def _slug(app) -> str:
    with app.app_context():
        return add_alert(title="Stop the cuts").slug


def _edit(app, slug, change) -> None:
    """Staff's change, made and committed in `app` (another process than the reader's)."""
    with app.app_context():
        change(get_alert_by_slug(slug))
        db.session.commit()


def _warm(client, slug):
    """Two anonymous views: the second is the stored page (same ETag)."""
    first, second = client.get(f"/a/{slug}"), client.get(f"/a/{slug}")
    assert first.status_code == second.status_code == 200
    assert first.headers["ETag"] and first.headers["ETag"] == second.headers["ETag"]
    return second


def test_closing_an_alert_in_one_process_is_seen_by_another_at_once(
        app, other_app, committed_data, full_data):
    slug = _slug(app)
    reader = other_app({}).test_client()
    page = _warm(reader, slug)
    assert "Find your members of Congress" in page.text
    form = form_for(page.text, containing="zip_code")

    _edit(app, slug, close_alert)

    closed = reader.get(f"/a/{slug}")
    assert "This alert has closed" in closed.text
    assert 'name="zip_code"' not in closed.text
    assert closed.headers["ETag"] != page.headers["ETag"]
    # The form the browser still holds records nothing.
    response = reader.post(form["action"] or f"/a/{slug}", data={**form["fields"], **ANA})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


def test_a_cached_page_changes_when_the_alert_is_edited(app, other_app, committed_data,
                                                         full_data):
    slug = _slug(app)
    reader = other_app({}).test_client()
    before = _warm(reader, slug)
    unchanged = reader.get(f"/a/{slug}", headers={"If-None-Match": before.headers["ETag"]})
    assert unchanged.status_code == 304

    _edit(app, slug, lambda alert: update_alert(alert, {"title": "Save the clinics"}))

    after = reader.get(f"/a/{slug}", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Save the clinics" in after.text and "Stop the cuts" not in after.text

    # A translation is part of the page's version too: the Spanish page appears at once.
    _warm(reader, slug)
    _edit(app, slug, lambda alert: save_translation(alert, "es", {
        "title": "Salven las clínicas", "appeal": "Llame hoy."}))
    spanish = reader.get(f"/a/{slug}?lang=es")
    assert "Salven las clínicas" in spanish.text


def test_a_cached_spanish_page_changes_when_a_spanish_default_is_edited(
        app, other_app, committed_data, full_data):
    """Issue 15: the Spanish default staff set in one process shows on the stored Spanish
    page of another at once; the English page keeps the English default."""
    with app.app_context():
        alert = add_alert(title="Stop the cuts", appeal="[[First_Name]], call today.")
        save_translation(alert, "es", {"title": "Salven las clínicas",
                                       "appeal": "[[First_Name]], llame hoy."})
        db.session.commit()
        slug = alert.slug
    reader = other_app({}).test_client()
    spanish = {"Accept-Language": "es-US,es;q=0.9"}
    first, second = reader.get(f"/a/{slug}", headers=spanish), reader.get(f"/a/{slug}",
                                                                          headers=spanish)
    assert first.headers["ETag"] == second.headers["ETag"]
    assert "Amigo/a, llame hoy." in second.text

    def set_spanish_default(alert):
        set_merge_defaults({"first_name": "Vecina"}, language="es")

    _edit(app, slug, set_spanish_default)

    after = reader.get(f"/a/{slug}", headers={**spanish, "If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert "Vecina, llame hoy." in after.text
    assert "Friend, call today." in reader.get(f"/a/{slug}",
                                               headers={"Accept-Language": "en-US"}).text


def test_each_browser_gets_its_own_csrf_token_and_the_form_works(app, committed_data,
                                                                  full_data):
    slug = _slug(app)
    first, second = app.test_client(), app.test_client()
    _warm(first, slug)
    tokens = [form_for(client.get(f"/a/{slug}").text, containing="zip_code")
              ["fields"]["csrf_token"] for client in (first, second)]
    assert tokens[0] != tokens[1]
    page = second.get(f"/a/{slug}")
    assert page.headers["Cache-Control"] == "private, no-cache"
    response = submit_form(second, f"/a/{slug}", ANA)
    assert response.status_code == 302, response.text
    # Once this browser has submitted, it sees its own page, not the stored one.
    own = second.get(f"/a/{slug}")
    assert "ETag" not in own.headers and "private" in own.headers["Cache-Control"]
    assert "ana@example.org" in own.text



def test_a_stored_page_counts_the_days_left_again_when_a_day_has_passed(app, committed_data,
                                                                       full_data):
    """[[Days_Left]] moves with the clock, not with the stamp: the page stored when a day and
    a second were left must not say '1 day' once less than a day is left."""
    deadline = utcnow() + timedelta(days=1, seconds=2)
    with app.app_context():
        slug = add_alert(appeal="Only [[Days_Left]] day(s) left to call.",
                         deadline_at=deadline).slug
    client = app.test_client()
    before = _warm(client, slug)
    assert "Only 1 day(s) left" in before.text

    time.sleep(max((deadline - timedelta(days=1) - utcnow()).total_seconds(), 0) + 0.2)

    after = client.get(f"/a/{slug}", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Only 0 day(s) left" in after.text
    assert after.headers["ETag"] != before.headers["ETag"]
    assert client.get(f"/a/{slug}").headers["ETag"] == after.headers["ETag"]  # stored again
