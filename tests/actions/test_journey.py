"""The supporter's journey on the call page (issue 12 items 7, 8 and 10): one email per office,
a summary that says what was done per member, and the district office nearest the supporter."""

import html
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from campaign_app.actions.models import Action
from campaign_app.actions.queries import member_pressure
from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.models import Alert
from campaign_app.alerts.operations import create_alert
from campaign_app.core.db import db
from campaign_app.supporters.models import Submission, Supporter
from tests.factories import add_action, add_alert
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org", "zip_code": "82001"}
EMAIL = {"prefix": "Ms.", "street": "2020 Carey Ave", "city": "Cheyenne",
         "phone": "307-555-0100"}
HAGEMAN, BARRASSO, LUMMIS = "H001096", "B001261", "L000571"


def _emails():
    return db.session.scalar(select(func.count()).select_from(Action).where(
        Action.kind == "email"))


def _call_page(client, alert) -> str:
    return html.unescape(client.get(f"/a/{alert.slug}/call").text)


def _start(client, alert, person=ANA) -> None:
    assert submit_form(client, f"/a/{alert.slug}", person).status_code == 302


def test_an_email_goes_to_each_office_once(client, full_data):
    """Issue 12 item 7: after sending, the form was still offered and a second send was
    stored (and counted on the whip list) again."""
    alert = add_alert()
    _start(client, alert)
    form = form_for(client.get(f"/a/{alert.slug}/call").text, containing="street")
    assert client.post(form["action"], data={**form["fields"], **EMAIL}).status_code == 302
    assert _emails() == 3

    page = _call_page(client, alert)
    assert f'action="/a/{alert.slug}/email"' not in page  # no second form
    assert "You wrote to Rep. Harriet M. Hageman, Sen. John Barrasso and Sen. Cynthia M. " \
           "Lummis" in page
    # The same form sent again, or a form kept open in another tab (a new key): nothing more.
    for key in (form["fields"]["submission_key"], "another-tab-key-0123456789"):
        response = client.post(form["action"], data={**form["fields"], **EMAIL,
                                                     "submission_key": key})
        assert response.status_code == 302
    assert _emails() == 3
    assert "You have already written to each of these offices" in _call_page(client, alert)
    constituents, calls, emails, _ = member_pressure(alert.id)[HAGEMAN]
    assert (constituents, calls, emails) == (1, 0, 1)


def test_the_form_is_offered_only_for_offices_not_emailed(client, full_data):
    """Issue 12 item 7: the page shows which offices already got the email; the form goes to
    the others only."""
    alert = add_alert()
    _start(client, alert)
    ana = db.session.scalars(select(Supporter).where(Supporter.email == ANA["email"])).one()
    earlier = add_action(alert, ana, HAGEMAN, kind="email", status="contact_form")
    # … from this browser: another one's email is not shown to it (issue 12 item 1).
    earlier.submission_id = db.session.scalars(select(Submission.id)).one()
    db.session.commit()

    page = _call_page(client, alert)
    assert "Send an email to the other 2" in page
    assert "You already wrote to Rep. Harriet M. Hageman; this email goes to Sen. John " \
           "Barrasso and Sen. Cynthia M. Lummis." in page
    form = form_for(page, containing="street")
    client.post(form["action"], data={**form["fields"], **EMAIL})
    emailed = db.session.scalars(select(Action.bioguide_id).where(
        Action.kind == "email", Action.supporter_id == ana.id)).all()
    assert sorted(emailed) == sorted([HAGEMAN, BARRASSO, LUMMIS])


def test_the_database_refuses_a_second_email_to_one_office(full_data, db_session):
    """Issue 12 item 7: the rule holds in the database, whatever code writes the row."""
    from tests.factories import add_supporter

    alert = add_alert()
    ana = add_supporter(state="WY", district=0, zip_code="82001")
    add_action(alert, ana, HAGEMAN, kind="email", status="queued")
    add_action(alert, ana, HAGEMAN, kind="call")  # calls may repeat
    with pytest.raises(IntegrityError), db_session.begin_nested():
        add_action(alert, ana, HAGEMAN, kind="email", status="queued")


def test_the_summary_says_what_was_done_per_member(client, full_data):
    """Issue 12 item 8: after one call and the email the page said "You've reported a call to
    everyone on your list"."""
    alert = add_alert()
    _start(client, alert)
    page = client.get(f"/a/{alert.slug}/call").text
    call = form_for(page, containing="bioguide_id")
    assert call["fields"]["bioguide_id"] == HAGEMAN
    client.post(call["action"], data={**call["fields"], "outcome": "voicemail"})
    page = " ".join(_call_page(client, alert).split())
    assert "What you've done so far:" in page
    assert "Rep. Harriet M. Hageman:</strong> called (left a voicemail)</li>" in page
    for senator in ("Sen. John Barrasso", "Sen. Cynthia M. Lummis"):
        assert f"{senator}:</strong> not contacted yet</li>" in page

    email = form_for(page, containing="street")
    client.post(email["action"], data={**email["fields"], **EMAIL})
    page = " ".join(_call_page(client, alert).split())
    assert "reported a call to everyone" not in page
    assert "You've taken action for everyone on your list." in page
    assert ("Rep. Harriet M. Hageman:</strong> called (left a voicemail); message ready for "
            "the office's contact form") in page
    for senator in ("Sen. John Barrasso", "Sen. Cynthia M. Lummis"):
        assert f"{senator}:</strong> message ready for the office's contact form" in page
    assert "not contacted yet" not in page


def test_long_beach_is_offered_los_angeles_district_offices(client, full_data):
    """Issue 12 item 10: the call page of a Long Beach supporter (ZIP code only) offered
    Padilla's Fresno office; now the nearest, in Los Angeles."""
    alert = add_alert(target_rule="senate")
    _start(client, alert, {**ANA, "zip_code": "90802"})
    page = " ".join(_call_page(client, alert).split())
    start = page.index('<section class="target" aria-labelledby="target-P000145"')
    padilla = page[start:page.index("</section>", start)]
    assert "Or call the district office in Los Angeles:" in padilla
    assert "Fresno" not in padilla


def test_two_sends_at_once_store_one_email_per_office(app, committed_data, full_data):
    """Issue 12 item 7: a send racing another (two tabs, a double click reaching two web
    processes) stores no second email to an office, and answers no error page."""
    with app.app_context():
        slug = create_alert(demo_alert_data()).slug
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    assert submit_form(client, f"/a/{slug}", ANA).status_code == 302
    form = form_for(client.get(f"/a/{slug}/call").text, containing="street")
    with app.app_context():
        alert_id = db.session.scalars(select(Alert.id).where(Alert.slug == slug)).one()
        ana_id = db.session.scalars(select(Supporter.id)).one()
    # The other request has stored its email to Hageman and not committed yet.
    other = Session(bind=engine)
    other.add(Action(alert_id=alert_id, supporter_id=ana_id, bioguide_id=HAGEMAN, kind="email",
                     channel="contact_form", status="contact_form",
                     submission_key="the-other-tab-0123456789:H001096"))
    other.flush()
    result = {}

    def send():
        result["response"] = client.post(form["action"], data={**form["fields"], **EMAIL})

    thread = threading.Thread(target=send)
    thread.start()
    time.sleep(1.0)
    other.commit()
    other.close()
    thread.join(timeout=30)
    assert result["response"].status_code == 302
    with app.app_context():
        emailed = db.session.scalars(select(Action.bioguide_id).where(
            Action.kind == "email")).all()
    assert sorted(emailed) == sorted([HAGEMAN, BARRASSO, LUMMIS])
