"""The spine of the reference scenario with real parts: web (test client), database, broker,
a Celery worker process and an SMTP server."""

import os
import re
import time
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from campaign_app.actions.models import Action
from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.models import Alert
from campaign_app.alerts.operations import create_alert
from campaign_app.auth.operations import create_user
from campaign_app.core.db import db
from campaign_app.delivery.models import Delivery
from campaign_app.supporters.models import Supporter
from tests.helpers import form_for, submit_form
from tests.services import CWC_SETTINGS, WorkerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.full_data]


@pytest.fixture
def committed(app, full_data, committed_data):
    """Data that other processes (the worker) can see; removed afterwards.

    No app context stays pushed during the test: each request must get its own (Flask-WTF
    keeps the CSRF token in `g`), so the test opens short ones with `app.app_context()`.
    """
    yield


def _create_demo_alert(app, with_staff=False):
    with app.app_context():
        alert = create_alert(demo_alert_data())
        if with_staff:
            create_user("staff@example.org", "correct horse battery", "viewer")
        db.session.commit()
        return alert.slug, alert.title


def _deliveries(app, settle: float = 15.0):
    """Each delivery's (status, attempts), once none is still being sent: the SMTP server
    holds the message before the worker's commit marks it delivered."""
    deadline = time.monotonic() + settle
    while True:
        with app.app_context():
            rows = [(d.status, d.attempt_count) for d in db.session.scalars(select(Delivery))]
        if all(status != "sending" for status, _ in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def worker(app):
    process = WorkerProcess().start()
    yield process
    process.stop()


def _staff_counts(client, slug):
    page = client.get(f"/staff/alerts/{slug}").text
    supporters = int(re.search(r'id="supporter-count">(\d+)<', page).group(1))
    calls = int(re.search(r'id="call-count">(\d+)<', page).group(1))
    talked = int(re.search(r"Talked to staff</th><td>(\d+)<", page).group(1))
    return supporters, calls, talked


def test_supporter_calls_and_gets_a_confirmation_from_the_worker(app, committed, smtp, worker):
    slug, title = _create_demo_alert(app, with_staff=True)

    staff = app.test_client()
    assert submit_form(staff, "/login", {"email": "staff@example.org",
                                         "password": "correct horse battery"}).status_code == 302
    assert _staff_counts(staff, slug) == (0, 0, 0)

    supporter = app.test_client()
    response = submit_form(supporter, f"/a/{slug}", {
        "first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
        "zip_code": "82001"})
    assert response.status_code == 302, re.findall(r"<li>(.*?)</li>", response.text)
    call_page = supporter.get(response.headers["Location"])
    assert "Rep. Harriet M. Hageman" in call_page.text
    form = form_for(call_page.text, containing="submission_key")
    response = supporter.post(form["action"], data={**form["fields"], "outcome": "talked"})
    assert response.status_code == 302

    [(recipients, message)] = smtp.wait_for(1, timeout=60)
    assert recipients == ["ana@example.org"]
    assert title in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Dear Ana," in text
    assert title in text
    assert "Harriet M. Hageman — Talked to staff" in text
    html = message.get_body(("html",)).get_content()
    assert "Dear Ana," in html

    assert _staff_counts(staff, slug) == (1, 1, 1)
    assert _deliveries(app) == [("delivered", 1)]
    assert _count(app, Supporter) == 1


BATCH = [("Luis", "Pérez", "05401"), ("Ana", "Gómez", "82001"), ("Mei", "Chen", "05401"),
         ("Kofi", "Mensah", "82001"), ("Zoë", "Faure", "05401"), ("Raúl", "Soto", "82001")]

def test_broker_outage_during_a_batch_loses_nothing_and_the_sweep_delivers_once(
        app, committed, smtp, other_app, monkeypatch, caplog):
    """The broker is unreachable while a batch of supporters call and write to Congress:
    every submission is committed and each supporter sees success; when the broker is back,
    the outbox sweep delivers every confirmation and every CWC message exactly once."""
    from campaign_app.delivery import cwc
    from campaign_app.delivery.tasks import sweep_outbox
    from tests.services import CwcServer

    slug, _ = _create_demo_alert(app)
    with app.app_context():
        db.session.scalars(select(Alert).where(Alert.slug == slug)).one().channels = [
            "call", "email"]
        db.session.commit()
    with CwcServer(offices={"HVT00", "SVT01", "SVT03", "HWY00", "SWY01", "SWY02"}) as server:
        settings = {**CWC_SETTINGS, "CWC_BASE_URL": server.url}
        # The same app, but its broker is a port where nothing listens. Celery reads
        # CELERY_BROKER_URL from the environment before its settings, so that is what moves.
        broker = os.environ["CELERY_BROKER_URL"]
        monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
        outage = other_app(settings)
        cwc._offices_cache.clear()
        for first, last, zip_code in BATCH:
            client = outage.test_client()
            response = submit_form(client, f"/a/{slug}", {
                "first_name": first, "last_name": last, "zip_code": zip_code,
                "email": f"{last.lower()}@example.org"})
            assert response.status_code == 302
            form = form_for(client.get(response.headers["Location"]).text,
                            containing="submission_key")
            response = client.post(form["action"],
                                   data={**form["fields"], "outcome": "voicemail"})
            assert "Thank you!" in client.get(response.headers["Location"]).text
            email = form_for(client.get(f"/a/{slug}/call").text, containing="street")
            response = client.post(email["action"], data={
                **email["fields"], "prefix": "Mx.", "street": "1 Main St",
                "city": "Burlington" if zip_code == "05401" else "Cheyenne"})
            assert response.status_code == 302
            assert "Your email is on its way" in client.get(response.headers["Location"]).text
        monkeypatch.setenv("CELERY_BROKER_URL", broker)
        app.extensions["celery"].set_current()
        app.extensions["celery"].set_default()
        # The outage was real: every submission's queueing failed and was left to the sweep.
        left = [r for r in caplog.records if "left for the outbox sweep" in r.getMessage()]
        assert len(left) == len(BATCH) * 2  # the call report's and the email's
        assert _count(app, Supporter) == len(BATCH)
        assert _count(app, Action) == len(BATCH) * 4  # a call and three emails each
        # One confirmation per supporter, one message per office: all waiting.
        assert _deliveries(app) == [("pending", 0)] * (len(BATCH) * 4)
        assert server.received == [] and smtp.messages == []

        app.config.update(settings, OUTBOX_STALE_SECONDS=0)
        try:
            process = WorkerProcess(settings).start()
            try:
                with app.app_context():
                    assert sweep_outbox.run() == len(BATCH) * 4
                    # Beat's next sweep comes while the worker is still busy: whatever is
                    # still pending is queued twice, and must still go out once.
                    sweep_outbox.run()
                deadline = time.monotonic() + 90
                while any(status != "delivered" for status, _ in _deliveries(app)) \
                        and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(2)  # room for a duplicate to arrive, if one were sent
            finally:
                process.stop()
        finally:
            app.config.update(CWC_BASE_URL="", CWC_API_KEY="", OUTBOX_STALE_SECONDS=int(
                os.environ.get("OUTBOX_STALE_SECONDS", 120)))
            cwc._offices_cache.clear()
    assert _deliveries(app) == [("delivered", 1)] * (len(BATCH) * 4)
    recipients = sorted(rcpt for rcpts, _ in smtp.messages for rcpt in rcpts)
    assert recipients == sorted(f"{last.lower()}@example.org" for _, last, _ in BATCH)
    delivery_ids = [root.findtext("Delivery/DeliveryId") for root in server.received]
    assert len(delivery_ids) == len(BATCH) * 3 == len(set(delivery_ids))


def test_email_to_congress_goes_through_the_worker_to_cwc(app, committed, smtp):
    """Submit, report a call, send the email: the worker delivers one CWC message per office
    to the local CWC server, and the supporter's confirmation by SMTP."""
    from campaign_app.delivery import cwc
    from tests.services import CwcServer

    slug, title = _create_demo_alert(app)
    with CwcServer(offices={"HVT00", "SVT01", "SVT03"}) as server:
        settings = {**CWC_SETTINGS, "CWC_BASE_URL": server.url}
        app.config.update(settings)
        cwc._offices_cache.clear()
        worker = WorkerProcess(settings).start()
        try:
            client = app.test_client()
            response = submit_form(client, f"/a/{slug}", {
                "first_name": "Luis", "last_name": "Pérez", "email": "luis@example.org",
                "zip_code": "05401"})
            page = client.get(response.headers["Location"]).text
            call = form_for(page, containing="submission_key")
            client.post(call["action"], data={**call["fields"], "outcome": "voicemail"})
            email = form_for(client.get(f"/a/{slug}/call").text, containing="street")
            response = client.post(email["action"], data={
                **email["fields"], "prefix": "Mr.", "street": "149 Church St",
                "city": "Burlington"})
            assert response.status_code == 302
            deadline = time.monotonic() + 60
            while len(server.received) < 3 and time.monotonic() < deadline:
                time.sleep(0.2)
            smtp.wait_for(1, timeout=60)
        finally:
            worker.stop()
            app.config.update(CWC_BASE_URL="", CWC_API_KEY="")
            cwc._offices_cache.clear()
    offices = sorted(root.findtext("Recipient/MemberOffice") for root in server.received)
    assert offices == ["HVT00", "SVT01", "SVT03"]
    rep = next(r for r in server.received if r.findtext("Recipient/MemberOffice") == "HVT00")
    assert rep.findtext("Constituent/Address1") == "149 Church St"
    assert rep.findtext("Constituent/City") == "Burlington"
    # The supporter sent the suggested text unedited: the organization's words.
    assert rep.findtext("Message/OrganizationStatement").startswith("Dear Rep. Becca Balint,")
    assert rep.find("Message/ConstituentMessage") is None
    assert _deliveries(app).count(("delivered", 1)) == 4  # three offices and the confirmation


def test_pasted_email_with_a_formatted_phone_reaches_cwc_as_cwc_accepts_it(app, committed,
                                                                           smtp):
    """Issue 13, end to end: a phone typed "(307) 555-0100", a body pasted from Word with a
    vertical tab and emoji, ORG_NAME "LAWG": the real worker delivers three messages the
    strict stand-in accepts, carrying the normalized phone, the organizer's words as
    OrganizationStatement, and the organizer's topic, bills and position."""
    from campaign_app.delivery import cwc
    from tests.services import CwcServer, cwc_rule_errors

    with app.app_context():
        alert = create_alert({**demo_alert_data(), "topic": "International Affairs",
                              "bills": [{"congress": 119, "type": "hres", "number": 1071}],
                              "position": "pro"})
        db.session.commit()
        slug = alert.slug
    with CwcServer(offices={"HWY00", "SWY01", "SWY02"}) as server:
        settings = {**CWC_SETTINGS, "CWC_BASE_URL": server.url, "ORG_NAME": "LAWG",
                    "ORG_LEGAL_NAME": ""}
        app.config.update(settings)
        cwc._offices_cache.clear()
        worker = WorkerProcess(settings).start()
        try:
            client = app.test_client()
            response = submit_form(client, f"/a/{slug}", {
                "first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
                "zip_code": "82001", "phone": "(307) 555-0100"})
            assert response.status_code == 302
            email = form_for(client.get(f"/a/{slug}/call").text, containing="street")
            pasted = email["fields"]["body"] + "\x0bIt matters to me \U0001F30E\U0001F54A"
            response = client.post(email["action"], data={
                **email["fields"], "prefix": "Ms.", "street": "2020 Carey Ave",
                "city": "Cheyenne", "body": pasted})
            assert response.status_code == 302, response.text
            deadline = time.monotonic() + 60
            while len(server.received) < 3 and time.monotonic() < deadline:
                time.sleep(0.2)
            smtp.wait_for(1, timeout=60)
        finally:
            worker.stop()
            app.config.update(CWC_BASE_URL="", CWC_API_KEY="", ORG_NAME="Alerta")
            cwc._offices_cache.clear()
    assert sorted(r.findtext("Recipient/MemberOffice") for r in server.received) == \
        ["HWY00", "SWY01", "SWY02"]
    for root in server.received:
        assert cwc_rule_errors(ET.tostring(root, encoding="utf-8")) == []
        assert root.findtext("Constituent/Phone") == "307-555-0100"
        assert root.find("Delivery/Organization") is None  # "LAWG" is too short for CWC
        assert root.findtext("Message/LibraryOfCongressTopics/LibraryOfCongressTopic") == \
            "International Affairs"
        assert root.findtext("Message/ProOrCon") == "Pro"
        [bill] = root.findall("Message/Bills/Bill")
        assert (bill.findtext("BillCongress"), bill.findtext("BillTypeAbbreviation"),
                bill.findtext("BillNumber")) == ("119", "hres", "1071")
        statement = root.findtext("Message/OrganizationStatement")
        assert statement.startswith("Dear ") and "\U0001F30E" not in statement
        assert root.findtext("Message/ConstituentMessage").endswith(
            "\nIt matters to me \U0001F30E\U0001F54A")
    with app.app_context():
        statuses = [d.status for d in db.session.scalars(select(Delivery))]
    assert statuses.count("delivered") == 4  # three offices and the confirmation
