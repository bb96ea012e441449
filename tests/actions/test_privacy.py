"""Privacy (issue 12 item 1): a browser sees stored supporter data only when it proved who it
is (a personal link), or what it typed itself; an unproven submission never replaces stored
identity fields and is kept, as submitted, with its actions. And the greeting (item 4): a
supporter known to this browser is greeted by name on every page of the alert."""

import html

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.supporters.models import Submission, Supporter
from campaign_app.supporters.tokens import make_personal_token, make_unsubscribe_token
from tests.factories import add_alert
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "90802"}
EVE = {**ANA, "first_name": "Eve", "last_name": "Spy"}
ANAS_ADDRESS = {"prefix": "Ms.", "street": "100 Ocean Blvd", "city": "Long Beach",
                "phone": "562-555-0143"}


def _act_as_ana(client, alert):
    """Ana's visit: the form, a call report on the first card, an email with her address."""
    assert submit_form(client, f"/a/{alert.slug}", ANA).status_code == 302
    page = client.get(f"/a/{alert.slug}/call").text
    report = form_for(page, containing="note")
    client.post(report["action"], data={**report["fields"], "outcome": "talked",
                                        "note": "Spoke with the scheduler"})
    email = form_for(client.get(f"/a/{alert.slug}/call").text, containing="street")
    assert client.post(email["action"], data={**email["fields"], **ANAS_ADDRESS}
                       ).status_code == 302


def _stranger(client):
    return client.application.test_client()


def _ana():
    return db.session.scalars(select(Supporter).where(
        Supporter.email == "ana@example.org")).one()


def test_a_stranger_typing_her_email_sees_nothing_of_hers_and_renames_nobody(
        client, full_data):
    """Issue 12 item 1: Eve types Ana's email. Before, the call page showed Ana's street and
    city pre-filled, her call report and email status on every card, and Ana became Eve."""
    alert = add_alert()
    _act_as_ana(client, alert)
    eve = _stranger(client)
    assert submit_form(eve, f"/a/{alert.slug}", EVE).status_code == 302
    page = html.unescape(eve.get(f"/a/{alert.slug}/call").text)

    assert "Thank you, Eve!" in page
    for name in ("street", "city", "phone"):
        assert f'value="{ANAS_ADDRESS[name]}"' not in page, name
    assert '<option selected value="Ms.">' not in page
    assert "Reported:" not in page and "Email:" not in page
    assert "Spoke with the scheduler" not in page
    assert "Report my call" in page and "Report another call" not in page
    ana = _ana()
    assert (ana.first_name, ana.last_name, ana.street, ana.city, ana.phone) == (
        "Ana", "Gómez", "100 Ocean Blvd", "Long Beach", "562-555-0143")


def test_what_a_stranger_typed_is_kept_with_her_actions_and_staff_see_it_differed(
        client, login, full_data):
    """Issue 12 item 1: nothing is lost. Eve's report goes with her submission, as typed; the
    actions export tells staff which stored fields it differs from."""
    alert = add_alert()
    _act_as_ana(client, alert)
    eve = _stranger(client)
    submit_form(eve, f"/a/{alert.slug}", EVE)
    report = form_for(eve.get(f"/a/{alert.slug}/call").text, containing="note")
    eve.post(report["action"], data={**report["fields"], "outcome": "voicemail"})
    email = form_for(eve.get(f"/a/{alert.slug}/call").text, containing="street")
    assert email["fields"]["street"] == "" and email["fields"]["city"] == ""
    eve.post(email["action"], data={**email["fields"], "prefix": "Mx.",
                                    "street": "1 Spy Lane", "city": "Signal Hill"})

    actions = db.session.scalars(select(Action).where(Action.supporter_id == _ana().id,
                                                      Action.outcome == "voicemail")).all()
    assert len(actions) == 1
    submitted = actions[0].submission
    assert (submitted.first_name, submitted.last_name, submitted.is_proven) == (
        "Eve", "Spy", False)
    assert submitted.street == "1 Spy Lane" and submitted.city == "Signal Hill"
    assert set(submitted.differing_fields.split(",")) >= {"first_name", "last_name", "street",
                                                          "city"}
    assert (_ana().first_name, _ana().street, _ana().prefix) == ("Ana", "100 Ocean Blvd", "Ms.")

    login("organizer")
    rows = client.get(f"/staff/alerts/{alert.slug}/exports/actions.csv").text.splitlines()
    assert rows[0].endswith("submission_proven,submission_differs_in")
    eves = [row for row in rows if ",voicemail," in row]
    assert eves and eves[0].split(",")[-2] == "no" and "first_name" in eves[0].split(",")[-1]
    supporters = client.get(f"/staff/alerts/{alert.slug}/exports/supporters.csv").text
    assert supporters.splitlines()[1].split(",")[6] == "1"  # one differing submission


def test_a_stranger_fills_only_what_is_empty(client, full_data):
    """Issue 12 item 1: the profile takes an unproven submission only where nothing is
    stored (Ana gave no phone; the first one typed is kept)."""
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    submit_form(_stranger(client), f"/a/{alert.slug}", {**EVE, "phone": "562-555-0199"})
    assert (_ana().first_name, _ana().phone) == ("Ana", "562-555-0199")


def test_a_stranger_cannot_move_her_to_another_district(client, full_data):
    """Issue 12 item 1: where she lives is stored data too; another ZIP typed by an unproven
    browser is kept with its submission, and its own page follows what it typed."""
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    eve = _stranger(client)
    submit_form(eve, f"/a/{alert.slug}", {**EVE, "zip_code": "82001"})
    assert (_ana().zip_code, _ana().state) == ("90802", "CA")
    assert "ZIP 82001" in eve.get(f"/a/{alert.slug}/call").text


def test_her_personal_link_proves_the_browser(client, full_data):
    """Issue 12 item 1: a browser that opened Ana's personal link sees what is stored and may
    update it."""
    alert = add_alert()
    _act_as_ana(client, alert)
    ana_id = _ana().id
    phone = _stranger(client)
    page = phone.get(f"/a/{alert.slug}?t={make_personal_token(ana_id)}").text
    assert 'value="ana@example.org"' in page
    submit_form(phone, f"/a/{alert.slug}", {**ANA, "first_name": "Ana María"})
    page = html.unescape(phone.get(f"/a/{alert.slug}/call").text)
    assert "Reported: Talked to staff" in page and "Email:" in page
    assert _ana().first_name == "Ana María"
    # On the next alert, her stored address is filled in for her.
    other_alert = add_alert()
    submit_form(phone, f"/a/{other_alert.slug}", ANA)
    page = html.unescape(phone.get(f"/a/{other_alert.slug}/call").text)
    assert 'value="100 Ocean Blvd"' in page and 'value="Long Beach"' in page
    assert len(db.session.scalars(select(Submission).where(Submission.is_proven)).all()) == 2


def test_a_forged_personal_link_proves_nothing(client, full_data):
    alert = add_alert()
    _act_as_ana(client, alert)
    eve = _stranger(client)
    eve.get(f"/a/{alert.slug}?t={make_personal_token(_ana().id)}x")
    submit_form(eve, f"/a/{alert.slug}", EVE)
    assert _ana().first_name == "Ana"
    assert 'value="100 Ocean Blvd"' not in eve.get(f"/a/{alert.slug}/call").text


def test_a_stranger_signing_learns_nothing_and_changes_no_city(client, full_data):
    """Issue 12 item 1, the signature: Eve does not learn that Ana signed, her city stays on
    the letter, and the supporter still has one signature."""
    alert = add_alert(channels=["call", "signon"], letter_text="Dear [[Target_Name]],")
    submit_form(client, f"/a/{alert.slug}", ANA)
    sign = form_for(client.get(f"/a/{alert.slug}/call").text, action=f"/a/{alert.slug}/sign")
    client.post(sign["action"], data={**sign["fields"], "city": "Long Beach"})

    eve = _stranger(client)
    submit_form(eve, f"/a/{alert.slug}", EVE)
    page = eve.get(f"/a/{alert.slug}/call").text
    assert "You signed the letter" not in page and 'value="Long Beach"' not in page
    sign = form_for(page, action=f"/a/{alert.slug}/sign")
    response = eve.post(sign["action"], data={**sign["fields"], "city": "Signal Hill"})
    page = eve.get(response.headers["Location"]).text
    assert "Thank you! Your name is on the letter." in page
    assert "already signed" not in page
    assert _ana().city == "Long Beach"
    signatures = db.session.scalars(select(Action).where(Action.kind == "signon")).all()
    assert len(signatures) == 1
    eves = db.session.scalars(select(Submission).where(Submission.first_name == "Eve")).one()
    assert eves.city == "Signal Hill" and eves.signed_at is not None
    assert "city" in eves.differing_fields


def test_a_stranger_cannot_undo_her_unsubscribe(client, full_data):
    """Issue 12 item 1, unsubscribe: an opt-in ticked by a browser that proves nothing does
    not re-subscribe someone who unsubscribed; her own unsubscribe link proves her browser."""
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", {**ANA, "opt_in": "y"})
    ana_id = _ana().id
    client.post(f"/u/{make_unsubscribe_token(ana_id)}")
    assert not _ana().is_subscribed
    submit_form(_stranger(client), f"/a/{alert.slug}", {**EVE, "opt_in": "y"})
    db.session.expire_all()
    assert not _ana().is_subscribed
    assert "is_subscribed" in db.session.scalars(select(Submission).where(
        Submission.first_name == "Eve")).one().differing_fields
    her_browser = _stranger(client)
    her_browser.get(f"/u/{make_unsubscribe_token(ana_id)}")
    submit_form(her_browser, f"/a/{alert.slug}", {**ANA, "opt_in": "y"})
    db.session.expire_all()
    assert _ana().is_subscribed


def test_the_first_browser_may_correct_what_it_typed(client, full_data):
    """The browser that created the supporter corrects its own typo; that proves nothing
    about a value someone else stored."""
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", {**ANA, "first_name": "Aan"})
    submit_form(client, f"/a/{alert.slug}", ANA)
    assert _ana().first_name == "Ana"
    assert db.session.scalars(select(Submission)).one().first_name == "Ana"


def test_a_stranger_who_guesses_her_name_still_cannot_replace_it(client, full_data):
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    eve = _stranger(client)
    submit_form(eve, f"/a/{alert.slug}", ANA)  # the right name, typed by a stranger
    submit_form(eve, f"/a/{alert.slug}", EVE)
    assert _ana().first_name == "Ana"


# --- The greeting (issue 12, item 4) ------------------------------------------------------

def test_after_submitting_the_alert_page_greets_her_by_the_name_she_typed(
        client, full_data):
    """Issue 12 item 4: only the personal link greeted by name; after submitting the form,
    going back to the alert page greeted nobody (', can you take five minutes…')."""
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    page = html.unescape(client.get(f"/a/{alert.slug}").text)
    assert "Ana, can you take five minutes today" in page
    assert 'value="ana@example.org"' in page  # her own input, to correct it
    assert "Thank you, Ana!" in html.unescape(client.get(f"/a/{alert.slug}/thanks").text)


def test_a_stranger_is_greeted_by_what_she_typed_never_by_the_stored_name(
        client, full_data):
    """Issue 12 item 4: the greeting uses what this browser proved or typed itself."""
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    eve = _stranger(client)
    submit_form(eve, f"/a/{alert.slug}", EVE)
    page = html.unescape(eve.get(f"/a/{alert.slug}").text)
    assert "Eve, can you take five minutes today" in page and "Ana" not in page
    assert "Thank you, Eve!" in html.unescape(eve.get(f"/a/{alert.slug}/thanks").text)


def test_a_browser_proven_by_her_link_is_greeted_without_the_link(client, full_data):
    """Issue 12 item 4: the personal link proves the browser for the whole visit."""
    alert = add_alert()
    submit_form(_stranger(client), f"/a/{alert.slug}", ANA)
    client.get(f"/a/{alert.slug}?t={make_personal_token(_ana().id)}")
    page = html.unescape(client.get(f"/a/{alert.slug}").text)
    assert "Ana, can you take five minutes today" in page
    assert "Thank you, Ana!" in html.unescape(client.get(f"/a/{alert.slug}/thanks").text)


def test_the_organizations_page_of_the_alert_greets_her_too(client, full_data):
    """Issue 12 item 4: every page of the alert, the organizations' sign-on page included."""
    alert = add_alert(channels=["call", "signon"])
    submit_form(client, f"/a/{alert.slug}", ANA)
    page = html.unescape(client.get(f"/a/{alert.slug}/organizations").text)
    assert "Ana, can you take five minutes today" in page
    stranger = html.unescape(_stranger(client).get(f"/a/{alert.slug}/organizations").text)
    assert "Ana" not in stranger


def test_a_stranger_is_not_told_which_offices_she_emailed(client, full_data):
    """Issue 12 item 1 with one email per office (item 7): the offices Ana wrote to are not
    revealed to Eve, neither by the form nor by the answer; the database still holds one
    email per office."""
    alert = add_alert()
    _act_as_ana(client, alert)
    emails = db.session.scalars(select(Action).where(Action.kind == "email")).all()
    eve = _stranger(client)
    submit_form(eve, f"/a/{alert.slug}", EVE)
    page = eve.get(f"/a/{alert.slug}/call").text
    email = form_for(page, containing="street")
    response = eve.post(email["action"], data={**email["fields"], "prefix": "Mx.",
                                               "street": "1 Spy Lane", "city": "Signal Hill"})
    page = html.unescape(eve.get(response.headers["Location"]).text)
    assert "already written" not in page and "Thank you! We have your message." in page
    assert len(db.session.scalars(select(Action).where(Action.kind == "email")).all()) == \
        len(emails)
