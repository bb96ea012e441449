"""Call-in: the organization's number asks for a ZIP by keypad; a ZIP that spans districts
asks the caller to choose; callers are matched to supporters only by a number proven by a
call Alerta placed. The stand-in plays the caller against the app served over HTTP."""

import re

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.congress.queries import lookup_zip
from campaign_app.core.db import db
from campaign_app.telephony.models import CallLeg, PhoneCall
from campaign_app.telephony.operations import block_number
from tests.factories import add_alert, add_supporter
from tests.twilio_server import Callee

from .conftest import CALLER_ID, PUBLIC_BASE_URL

pytestmark = [pytest.mark.full_data]

INCOMING = f"{PUBLIC_BASE_URL}/telephony/incoming"


def _choices(app) -> list:
    with app.app_context():
        lookup = lookup_zip("90210")
        return [next((m for m in lookup.representatives
                      if (m.state, m.district) == (d.state, d.number)), None)
                for d in lookup.districts]


def test_a_caller_at_90210_chooses_their_district_and_is_connected_to_that_member(
        app, full_data, committed_data, phone_network):
    with app.app_context():
        add_alert()
    members = _choices(app)
    assert len(members) > 1  # 90210 spans districts: the caller is asked
    chosen = members[1]
    # ZIP; the second member; the script runs out, the office answers; talked (1); the
    # two senators skipped with * during their script.
    call = phone_network.call_in("+13105550142", CALLER_ID, INCOMING, Callee(
        keys=["90210", "2", None, "1", "*", "*"], dials=[("completed", 61)]))
    assert phone_network.wait_for_calls(1, timeout=60)
    assert call.errors == []
    said = " ".join(text for text, _language in call.said())
    assert "Please enter your five-digit ZIP code" in said
    for digit, member in enumerate(members, start=1):
        assert f"For {member.titled_name}, press {digit}." in said
    assert re.findall(r"Connecting you to (.+?)\. Press star", said)[0] == chosen.titled_name
    assert [status for _number, status, _seconds in call.dialed] == ["completed"]
    with app.app_context():
        [leg] = db.session.scalars(select(CallLeg)).all()
        assert (leg.bioguide_id, leg.provider_outcome, leg.duration_seconds,
                leg.keypad_outcome) == (chosen.bioguide_id, "completed", 61, "1")
        assert leg.number == call.dialed[0][0]
        # An unknown caller: the leg is counted, no supporter is guessed.
        assert leg.action_id is None
        phone_call = db.session.scalars(select(PhoneCall)).one()
        assert (phone_call.direction, phone_call.zip_code, phone_call.district) == (
            "inbound", "90210", chosen.district)


@pytest.mark.parametrize("proven", [True, False])
def test_a_caller_is_matched_only_by_a_number_a_call_of_ours_proved(
        app, full_data, committed_data, phone_network, proven):
    with app.app_context():
        alert = add_alert()
        supporter = add_supporter(state="WY", district=0, zip_code="82001")
        # An earlier call Alerta placed to this number, answered with 1 (or never answered:
        # then the number is only what someone typed).
        db.session.add(PhoneCall(alert_id=alert.id, supporter_id=supporter.id,
                                 direction="outbound", phone="+13075550177",
                                 call_sid="CA" + "1" * 32, status="completed",
                                 is_consented=proven))
        db.session.commit()
        supporter_id = supporter.id
    call = phone_network.call_in("+13075550177", CALLER_ID, INCOMING, Callee(
        keys=["82001", None, "2", "*", "*"], dials=[("completed", 20)]))
    assert phone_network.wait_for_calls(1, timeout=60)
    assert call.errors == []
    with app.app_context():
        leg = db.session.scalars(select(CallLeg)).one()
        assert leg.bioguide_id == "H001096"
        actions = db.session.scalars(select(Action)).all()
        if proven:
            assert [(a.supporter_id, a.outcome) for a in actions] == [(supporter_id,
                                                                       "voicemail")]
            assert leg.action_id == actions[0].id
        else:
            assert actions == [] and leg.action_id is None


def test_a_blocked_or_foreign_caller_is_told_and_not_connected(app, full_data, committed_data,
                                                                phone_network):
    with app.app_context():
        add_alert()
        block_number("307-555-0199", "abusive calls", None)
        db.session.commit()
    foreign = phone_network.call_in("+442079460958", CALLER_ID, INCOMING,
                                    Callee(keys=["82001"]))
    blocked = phone_network.call_in("+13075550199", CALLER_ID, INCOMING,
                                    Callee(keys=["82001"]))
    assert phone_network.wait_for_calls(2, timeout=60)
    assert "only connect callers from the United States" in foreign.said()[0][0]
    assert "can't place calls to this number" in blocked.said()[0][0]
    assert foreign.dialed == blocked.dialed == []
    assert foreign.errors == blocked.errors == []
    with app.app_context():
        assert db.session.scalars(select(PhoneCall)).all() == []
