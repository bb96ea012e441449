"""Patch-through calling end to end: the supporter presses "Call me", a real Celery worker
asks the Twilio stand-in to ring them, and the stand-in plays the phone network against the
app served over HTTP (behind its public address): consent, three offices, one busy."""

import math
import re

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.telephony.models import PhoneCall
from tests.factories import add_alert, add_user
from tests.helpers import form_for, submit_form
from tests.services import WorkerProcess
from tests.twilio_server import Callee

from .conftest import telephony_settings

pytestmark = [pytest.mark.e2e, pytest.mark.full_data]

SUPPORTER_PHONE = "+13075550142"


def _connected_calls(page: str) -> list[tuple[str, ...]]:
    table = re.search(r'<table id="connected-calls">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return [tuple(re.findall(r"<td>(.*?)</td>", row)) for row in rows]


def test_supporter_at_82001_is_connected_to_hageman_barrasso_and_lummis_in_turn(
        app, full_data, committed_data, smtp, phone_network):
    with app.app_context():
        slug = add_alert().slug
        add_user("staff@example.org", "viewer")
    worker = WorkerProcess(extra_env={key: str(value) for key, value in
                                      telephony_settings(phone_network).items()}).start()
    try:
        supporter = app.test_client()
        response = submit_form(supporter, f"/a/{slug}", {
            "first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
            "zip_code": "82001", "phone": "307-555-0142"})
        assert response.status_code == 302
        call_page = supporter.get(f"/a/{slug}/call").text
        form = form_for(call_page, action=f"/a/{slug}/call-me")
        assert form["fields"]["phone"] == "307-555-0142"  # the one they gave
        # Consent; the first script runs out and the office answers; talked to staff (1);
        # the second office is busy (no question asked); the third: a voicemail (2).
        phone_network.callees[SUPPORTER_PHONE] = Callee(
            keys=["1", None, "1", None, None, "2"],
            dials=[("completed", 95), ("busy", 0), ("completed", 40)])
        response = supporter.post(form["action"], data=form["fields"], follow_redirects=True)
        assert "We are calling you now" in response.text

        assert phone_network.wait_for_calls(1, timeout=60), "\n".join(worker.output[-30:])
        [call] = phone_network.calls
        assert call.errors == []
        assert call.to == SUPPORTER_PHONE and call.from_ == "+13075550100"
        said = " ".join(text for text, _language in call.said())
        assert "Press 1 to start" in said
        names = re.findall(r"Connecting you to (.+?)\. Press star", said)
        assert names == ["Rep. Harriet M. Hageman", "Sen. John Barrasso", "Sen. Cynthia M. Lummis"]
        assert [status for _number, status, _seconds in call.dialed] == \
            ["completed", "busy", "completed"]
        assert all(re.fullmatch(r"\+1\d{10}", number) for number, _s, _d in call.dialed)

        with app.app_context():
            actions = db.session.scalars(select(Action).order_by(Action.id)).all()
            assert [(a.kind, a.bioguide_id, a.outcome) for a in actions] == [
                ("call", "H001096", "talked"), ("call", "B001261", "busy"),
                ("call", "L000571", "voicemail")]
            phone_call = db.session.scalars(select(PhoneCall)).one()
            assert phone_call.status == "completed" and phone_call.is_consented
            assert phone_call.call_sid == call.sid
            billed = phone_call.duration_seconds
            assert billed > 135

        # The supporter's page, reloaded, shows each call as recorded; their confirmation
        # lists the three, without a report typed.
        page = supporter.get(f"/a/{slug}/call").text
        assert re.findall(r'<p class="reported">Reported: (.*?)\.</p>', page) == [
            "Talked to staff", "Line busy or mailbox full", "Left a voicemail"]
        [(recipients, message)] = smtp.wait_for(1, timeout=60)
        assert recipients == ["ana@example.org"]
        text = message.get_body(("plain",)).get_content()
        for line in ("Harriet M. Hageman — Talked to staff",
                     "John Barrasso — Line busy or mailbox full",
                     "Cynthia M. Lummis — Left a voicemail"):
            assert line in text

        staff = app.test_client()
        submit_form(staff, "/login", {"email": "staff@example.org",
                                      "password": "correct horse battery"})
        page = staff.get(f"/staff/alerts/{slug}").text
        assert re.search(r'id="call-count">3<', page)
        assert re.search(r'id="call-minutes">(\d+)<', page).group(1) == \
            str(math.ceil(billed / 60))
        rows = [(member, outcome, seconds, keypad, recorded)
                for member, _office, outcome, seconds, keypad, recorded
                in reversed(_connected_calls(page))]
        assert rows == [
            ("Rep. Harriet M. Hageman", "completed", "95", "1", "Talked to staff"),
            ("Sen. John Barrasso", "busy", "0", "", "Line busy or mailbox full"),
            ("Sen. Cynthia M. Lummis", "completed", "40", "2", "Left a voicemail")]
    finally:
        worker.stop()
