"""The provider's requests are trusted only when signed, and recorded once; the cost and
abuse limits refuse a call with a clear message; the office-hours rule picks the office."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from campaign_app.actions.models import Action
from campaign_app.congress.queries import lookup_zip
from campaign_app.core.db import db
from campaign_app.telephony.models import CallLeg, PhoneCall
from campaign_app.telephony.operations import (
    CallRefused,
    check_limits,
    is_waking_hours,
    office_to_dial,
)
from tests.factories import add_alert
from tests.helpers import form_for, forms_on, submit_form
from tests.twilio_server import twilio_signature

from .conftest import AUTH_TOKEN, PUBLIC_BASE_URL

pytestmark = [pytest.mark.full_data]


@pytest.fixture
def configured(app, monkeypatch):
    for key, value in {"TWILIO_ACCOUNT_SID": "AC" + "5e" * 16, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                       "TWILIO_CALLER_ID": "+13075550100",
                       "PUBLIC_BASE_URL": PUBLIC_BASE_URL}.items():
        monkeypatch.setitem(app.config, key, value)


def _supporter_on_call_page(client, slug, phone="307-555-0142"):
    response = submit_form(client, f"/a/{slug}", {
        "first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
        "zip_code": "82001", "phone": phone})
    assert response.status_code == 302
    return client.get(f"/a/{slug}/call").text


def _call_me(client, slug, phone=None) -> str:
    form = form_for(client.get(f"/a/{slug}/call").text, action=f"/a/{slug}/call-me")
    data = {**form["fields"], **({"phone": phone} if phone is not None else {})}
    return client.post(form["action"], data=data, follow_redirects=True).text


def _post(client, path: str, params: dict, *, token=AUTH_TOKEN, signed_url=None,
          signature=None):
    url = signed_url or PUBLIC_BASE_URL + path
    header = twilio_signature(token, url, params) if signature is None else signature
    headers = {"X-Twilio-Signature": header} if header else {}
    return client.post(path, data=params, headers=headers)


@pytest.fixture
def placed_call(client, configured, full_data):
    alert = add_alert()
    _supporter_on_call_page(client, alert.slug)
    assert "We are calling you now" in _call_me(client, alert.slug)
    call = db.session.scalars(select(PhoneCall)).one()
    call.call_sid = "CA" + "2" * 32
    db.session.commit()
    return call


def _params(call, **extra):
    return {"AccountSid": "AC" + "5e" * 16, "CallSid": call.call_sid, "From": "+13075550100",
            "To": call.phone, "CallStatus": "in-progress", "Direction": "outbound-api",
            **extra}


def test_without_the_settings_the_call_step_is_todays(client, full_data):
    alert = add_alert()
    page = _supporter_on_call_page(client, alert.slug)
    assert "call-me" not in page and 'href="tel:' in page
    assert client.post("/telephony/incoming", data={"CallSid": "CA1"}).status_code == 404


def test_the_call_step_offers_call_me_with_the_number_they_gave(client, configured,
                                                                full_data):
    alert = add_alert()
    page = _supporter_on_call_page(client, alert.slug)
    form = form_for(page, action=f"/a/{alert.slug}/call-me")
    assert form["fields"]["phone"] == "307-555-0142"
    assert 'href="tel:' in page  # the numbers stay, for those who dial themselves


@pytest.mark.parametrize("how", ["missing", "forged", "other token", "other url",
                                 "tampered"])
def test_an_unsigned_or_forged_request_gets_403_and_records_nothing(client, placed_call, how):
    path = f"/telephony/calls/{placed_call.id}/status"
    params = _params(placed_call, CallStatus="completed", CallDuration="120")
    kwargs = {"missing": {"signature": ""},
              "forged": {"signature": "bm90IGEgc2lnbmF0dXJl"},
              "other token": {"token": "0" * 32},
              "other url": {"signed_url": "https://evil.example.org" + path}}.get(how, {})
    if how == "tampered":  # signed for 1 second, sent as 120
        signature = twilio_signature(AUTH_TOKEN, PUBLIC_BASE_URL + path,
                                     {**params, "CallDuration": "1"})
        kwargs = {"signature": signature}
    assert _post(client, path, params, **kwargs).status_code == 403
    dialed = f"/telephony/calls/{placed_call.id}/targets/0/dialed"
    dial = _params(placed_call, DialCallStatus="completed", DialCallDuration="30")
    assert _post(client, dialed, dial, **{**kwargs, **(
        {"signed_url": "https://evil.example.org" + dialed} if how == "other url" else {}),
        **({"signature": twilio_signature(AUTH_TOKEN, PUBLIC_BASE_URL + dialed,
                                          {**dial, "DialCallDuration": "1"})}
           if how == "tampered" else {})}).status_code == 403
    assert _post(client, "/telephony/incoming", _params(placed_call, CallSid="CA9"),
                 **{k: v for k, v in kwargs.items() if k != "signed_url"}
                 | ({"signed_url": "https://evil.example.org/telephony/incoming"}
                    if how == "other url" else {})).status_code == 403
    db.session.expire_all()
    call = db.session.get(PhoneCall, placed_call.id)
    assert (call.status, call.ended_at, call.duration_seconds) == ("queued", None, None)
    assert db.session.scalar(select(func.count(CallLeg.id))) == 0
    assert db.session.scalar(select(func.count(Action.id))) == 0
    assert db.session.scalar(select(func.count(PhoneCall.id))) == 1


def test_a_signed_request_passes_and_a_repeated_status_callback_records_once(client,
                                                                           placed_call):
    path = f"/telephony/calls/{placed_call.id}/status"
    first = _params(placed_call, CallStatus="completed", CallDuration="120")
    assert _post(client, path, first).status_code == 204
    assert _post(client, path, first).status_code == 204
    assert _post(client, path, {**first, "CallDuration": "999"}).status_code == 204
    db.session.expire_all()
    call = db.session.get(PhoneCall, placed_call.id)
    assert (call.status, call.duration_seconds) == ("completed", 120)


def test_a_repeated_dial_callback_records_one_leg_and_one_action(client, placed_call):
    assert _post(client, f"/telephony/calls/{placed_call.id}/consent",
                 _params(placed_call, Digits="1")).status_code == 200
    dialed = f"/telephony/calls/{placed_call.id}/targets/0/dialed"
    params = _params(placed_call, DialCallStatus="busy", DialCallDuration="0",
                     DialCallSid="CA" + "3" * 32)
    for _ in range(3):
        answer = _post(client, dialed, params)
        assert answer.status_code == 200 and "text/xml" in answer.content_type
    db.session.expire_all()
    [leg] = db.session.scalars(select(CallLeg)).all()
    [action] = db.session.scalars(select(Action)).all()
    assert (leg.provider_outcome, leg.action_id, action.outcome) == ("busy", action.id,
                                                                    "busy")


def test_hostile_webhook_input_is_answered_without_error(client, placed_call):
    base = f"/telephony/calls/{placed_call.id}"
    for path, extra in [(f"{base}/consent", {"Digits": "1" * 5000}),
                        (f"{base}/targets/99/dialed", {"DialCallStatus": "x" * 500}),
                        (f"{base}/targets/0/outcome", {"Digits": "<script>"}),
                        (f"{base}/zip", {"Digits": "abcde"}),
                        (f"{base}/status", {"CallDuration": "9" * 50, "CallStatus": ""})]:
        assert _post(client, path, _params(placed_call, **extra)).status_code in (200, 204,
                                                                                   404), path
    # A call id that belongs to another provider call: not this caller's.
    assert _post(client, f"{base}/consent", _params(placed_call, CallSid="CA" + "9" * 32,
                                                   Digits="1")).status_code == 404


def test_the_per_number_limit_refuses_the_fourth_call_of_the_day(client, configured,
                                                                full_data):
    alert = add_alert()
    _supporter_on_call_page(client, alert.slug)
    for _ in range(3):
        assert "We are calling you now" in _call_me(client, alert.slug)
    page = _call_me(client, alert.slug)
    assert "This number has had 3 calls for this alert today, the most we place." in page
    assert db.session.scalar(select(func.count(PhoneCall.id))) == 3


def test_a_number_staff_blocked_is_refused_until_unblocked(client, configured, full_data,
                                                           login):
    alert = add_alert()
    login("organizer")
    response = submit_form(client, "/staff/telephony/blocked",
                           {"phone": "(307) 555-0142", "reason": "asked never to be called"})
    assert response.status_code == 302
    listing = client.get("/staff/telephony/blocked").text
    assert "+13075550142" in listing
    _supporter_on_call_page(client, alert.slug)
    page = _call_me(client, alert.slug)
    assert "We can&#39;t place calls to this number." in page
    assert db.session.scalar(select(func.count(PhoneCall.id))) == 0
    [unblock] = [form for form in forms_on(listing)
                 if (form["action"] or "").endswith("/delete")]
    assert client.post(unblock["action"], data=unblock["fields"]).status_code == 302
    assert "We are calling you now" in _call_me(client, alert.slug)


@pytest.mark.parametrize("phone", ["+44 20 7946 0958", "+1 416 555 0199", "12345",
                                   "x" * 5000, "<script>"])
def test_a_number_outside_the_us_or_unreadable_is_refused_with_a_message(client, configured,
                                                                        full_data, phone):
    alert = add_alert()
    _supporter_on_call_page(client, alert.slug)
    page = _call_me(client, alert.slug, phone=phone)
    assert ("We can only call numbers in the United States" in page
            or "Please enter your phone number so we can call you" in page)
    assert db.session.scalar(select(func.count(PhoneCall.id))) == 0


def test_outside_office_hours_the_dc_office_is_not_dialed(app, full_data):
    with app.app_context():
        hageman = lookup_zip("82001").representatives[0]
        saturday = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
        tuesday_night = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 6:30 PM Eastern
        tuesday_morning = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10 AM Eastern
        dc = office_to_dial(hageman, tuesday_morning, zip_code="82001")
        assert dc[1] == "dc" and dc[0].endswith(hageman.phone.replace("-", "")[-10:])
        for closed in (saturday, tuesday_night):
            number, office = office_to_dial(hageman, closed, zip_code="82001")
            assert office == "district" and number != dc[0]
            assert number[2:] in {o.phone.replace("-", "").replace(" ", "")
                                  for o in hageman.offices if o.phone}


def test_alerta_calls_nobody_at_night_unless_they_asked(app, db_session, configured,
                                                        full_data):
    alert = add_alert()
    night = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 9 PM in Wyoming
    assert not is_waking_hours("WY", night)
    assert is_waking_hours("WY", datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    with pytest.raises(CallRefused, match="between 8 AM and 9 PM"):
        check_limits(alert, "+13075550142", now=night, state="WY", started_by_supporter=False)
    check_limits(alert, "+13075550142", now=night, state="WY")  # they pressed "Call me"


def test_erasing_a_supporter_forgets_their_number_on_calls(client, placed_call):
    from campaign_app.privacy.erasure import erase_supporter
    from campaign_app.supporters.models import Supporter

    placed_call.is_consented = True
    db.session.commit()
    counts = erase_supporter(db.session.get(Supporter, placed_call.supporter_id))
    db.session.commit()
    db.session.expire_all()
    call = db.session.get(PhoneCall, placed_call.id)
    assert counts["phone_calls"] == 1
    assert (call.phone, call.is_consented) == ("erased", False)
