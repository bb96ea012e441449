"""Personal links greet the supporter; share links carry a referral code that is counted."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.actions.office_hours import dc_office_status
from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.tokens import make_personal_token
from tests.factories import add_alert, add_supporters
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}


@pytest.fixture
def ana(db_session):
    [email] = add_supporters(1, prefix="ana")
    supporter = db.session.scalars(select(Supporter).where(Supporter.email == email)).one()
    supporter.first_name = "Ana"
    db.session.commit()
    return supporter


def test_personal_link_greets_and_prefills(client, ana, full_data):
    alert = add_alert()
    page = client.get(f"/a/{alert.slug}?t={make_personal_token(ana.id)}")
    assert page.status_code == 200
    assert "Ana, can you take five minutes today" in page.text
    form = form_for(page.text, containing="email")
    assert form["fields"]["email"] == ana.email
    assert form["fields"]["zip_code"] == "82001"


@pytest.mark.parametrize("token", [
    "tampered", "x" * 500, "", "MQ.AAAAAA.forged-signature",
])
def test_forged_token_is_ignored_and_the_page_still_works(client, ana, full_data, token):
    alert = add_alert()
    page = client.get(f"/a/{alert.slug}", query_string={"t": token})
    assert page.status_code == 200
    assert "Friend, can you take five minutes today" in page.text
    assert ana.email not in page.text


def test_expired_token_is_ignored(app, client, ana, full_data):
    alert = add_alert()
    token = make_personal_token(ana.id)
    app.config["PERSONAL_LINK_MAX_AGE"] = -1
    try:
        page = client.get(f"/a/{alert.slug}?t={token}")
    finally:
        app.config["PERSONAL_LINK_MAX_AGE"] = 60 * 24 * 3600
    assert "Friend, can you take five minutes today" in page.text


def _call(client, alert, values):
    response = submit_form(client, f"/a/{alert.slug}", values)
    assert response.status_code == 302, response.text[-3000:]
    form = form_for(client.get(f"/a/{alert.slug}/call").text, containing="submission_key")
    client.post(form["action"], data={**form["fields"], "outcome": "talked"})


def test_share_links_carry_a_referral_code_that_is_counted(app, db_session, full_data):
    alert = add_alert(share_url=None)
    ana_browser = app.test_client()
    _call(ana_browser, alert, ANA)
    thanks = ana_browser.get(f"/a/{alert.slug}/thanks").text
    ana = db.session.scalars(select(Supporter).where(Supporter.email == "ana@example.org")).one()
    code = ana.referral_code
    assert code and len(code) == 10
    for network in ("facebook.com/sharer", "x.com/intent", "bsky.app/intent", "wa.me",
                    "mailto:"):
        assert network in thanks
    assert f"r%3D{code}" in thanks or f"r={code}" in thanks

    friend = app.test_client()
    assert friend.get(f"/a/{alert.slug}?r={code}").status_code == 200
    _call(friend, alert, {**ANA, "first_name": "Luis", "email": "luis@example.org"})
    _call(ana_browser, alert, ANA)  # Ana's own second call is not a referral of hers
    referred = db.session.scalars(select(Action.referral_code).order_by(Action.id)).all()
    assert referred == [None, code, None]


def test_bad_referral_codes_are_ignored(client, full_data):
    alert = add_alert()
    for code in ("<script>", "x" * 200, "UPPERCASE1"):
        assert client.get(f"/a/{alert.slug}", query_string={"r": code}).status_code == 200
    _call(client, alert, ANA)
    assert db.session.scalars(select(Action.referral_code)).one() is None


@pytest.mark.parametrize("moment,is_open", [
    (datetime(2026, 11, 24, 15, 0, tzinfo=UTC), True),   # Tuesday 10:00 Eastern
    (datetime(2026, 11, 24, 22, 30, tzinfo=UTC), False),  # Tuesday 17:30 Eastern
    (datetime(2026, 11, 28, 16, 0, tzinfo=UTC), False),  # Saturday
    (datetime(2026, 11, 24, 13, 59, tzinfo=UTC), False),  # 8:59 Eastern
])
def test_dc_office_hours(moment, is_open):
    status = dc_office_status(moment)
    assert status.is_open is is_open
    assert ("district office" in status.message) is not is_open
