"""Supporters sign the letter: one signature each, a live count, an optional public list, and
the letter for delivery, grouped by office, as PDF and CSV."""

import csv
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from campaign_app.actions.confirmation import build_confirmation
from campaign_app.actions.models import Action
from campaign_app.actions.operations import record_signature
from campaign_app.actions.queries import member_pressure
from campaign_app.audit.models import AuditEvent
from campaign_app.core.db import db
from campaign_app.dashboard.queries import alert_counts
from campaign_app.delivery.models import Delivery
from campaign_app.supporters.models import Supporter
from tests.factories import add_action, add_alert, add_submission, add_supporter
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}
LETTER = "Dear [[Target_Name]],\n\nPlease put human rights first in relations with Mexico."


@pytest.fixture
def letter_alert(full_data, db_session):
    def make(**overrides):
        values = {"channels": ["call", "signon"], "letter_text": LETTER, "target_rule": "all"}
        return add_alert(**{**values, **overrides})

    return make


def _signatures(alert):
    return db.session.scalar(select(func.count()).select_from(Action).where(
        Action.alert_id == alert.id, Action.kind == "signon"))


def _sign_form(client, alert):
    page = client.get(f"/a/{alert.slug}/call")
    assert page.status_code == 200, page.status_code
    return form_for(page.text, action=f"/a/{alert.slug}/sign")


def _sign(alert, supporter, key=None):
    action, _, created = record_signature(alert, add_submission(alert, supporter),
                                          submission_key=key or f"key-{supporter.id}-0000000000")
    db.session.flush()
    return action, created


# --- Signing ---------------------------------------------------------------------------------

def test_a_double_submit_and_a_returning_supporter_sign_once(client, letter_alert):
    alert = letter_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    form = _sign_form(client, alert)
    data = {**form["fields"], "city": "Cheyenne"}
    first = client.post(form["action"], data=data)
    assert first.status_code == 302
    assert first.headers["Location"].endswith(f"/a/{alert.slug}/call#letter")
    again = client.post(form["action"], data=data)  # the same form, sent twice
    assert again.status_code == 302
    assert _signatures(alert) == 1
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 1

    # Back another day with a new name spelling, from another browser that proves nothing:
    # it does not learn she signed, nor change her name; signing again adds no signature.
    other = client.application.test_client()
    submit_form(other, f"/a/{alert.slug}", {**ANA, "first_name": "Ana María",
                                            "email": " ANA@example.org "})
    page = other.get(f"/a/{alert.slug}/call").text
    assert "Your name is on the letter" not in page and 'value="Cheyenne"' not in page
    form = form_for(page, action=f"/a/{alert.slug}/sign")
    response = other.post(form["action"], data=form["fields"])
    assert "Thank you! Your name is on the letter." in other.get(response.headers["Location"]).text
    supporter = db.session.scalars(select(Supporter)).one()
    assert (supporter.first_name, supporter.city) == ("Ana", "Cheyenne")
    signature = db.session.scalars(select(Action).where(Action.kind == "signon")).one()
    assert signature.bioguide_id is None and signature.supporter_id == supporter.id


def test_a_resent_signature_from_a_stale_page_finds_the_first(client, letter_alert):
    alert = letter_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    stale = _sign_form(client, alert)  # two tabs open on the same step
    fresh = _sign_form(client, alert)
    assert client.post(fresh["action"], data=fresh["fields"]).status_code == 302
    response = client.post(stale["action"], data=stale["fields"])
    assert response.status_code == 302
    assert _signatures(alert) == 1
    page = client.get(response.headers["Location"]).text
    assert "You have already signed the letter" in page


def test_the_database_holds_one_signature_per_supporter_and_a_member_on_other_actions(
        db_session, letter_alert):
    alert = letter_alert()
    supporter = add_supporter()
    _sign(alert, supporter)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Action(alert_id=alert.id, supporter_id=supporter.id, kind="signon",
                              submission_key="another-key-000000"))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Action(alert_id=alert.id, supporter_id=supporter.id, kind="call",
                              outcome="talked", submission_key="a-call-without-member"))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Action(alert_id=alert.id, supporter_id=supporter.id, kind="signon",
                              bioguide_id="H001096", submission_key="signature-to-a-member"))
    # The operation itself, run again with a new key, finds the first signature.
    action, created = _sign(alert, supporter, key="yet-another-key-0000")
    assert not created and _signatures(alert) == 1


def test_a_letter_only_alert_goes_from_form_to_thanks_without_calls(client, letter_alert):
    alert = letter_alert(channels=["signon"], share_text="I signed. Will you?")
    front = client.get(f"/a/{alert.slug}")
    assert "Sign the letter" in front.text
    response = submit_form(client, f"/a/{alert.slug}", ANA)
    assert response.headers["Location"].endswith(f"/a/{alert.slug}/call")
    page = client.get(response.headers["Location"]).text
    assert "Add your name to the letter" in page
    assert "Report my call" not in page and "Call 202" not in page
    assert "Rep. Harriet M. Hageman" in page  # whom the letter goes to
    assert "Dear Member of Congress," in page  # the letter, to read before signing
    form = form_for(page, action=f"/a/{alert.slug}/sign")
    signed = client.post(form["action"], data=form["fields"])
    assert signed.headers["Location"].endswith(f"/a/{alert.slug}/thanks")
    thanks = client.get(signed.headers["Location"]).text
    assert "Your name is on the letter" in thanks
    assert "Share on Facebook" in thanks and "Post on X" in thanks
    assert _signatures(alert) == 1
    delivery = db.session.scalars(select(Delivery)).one()
    assert "Signed the letter" in build_confirmation(delivery).get_body(("plain",)).get_content()


def test_signing_needs_the_form_first_an_open_alert_and_the_channel(client, letter_alert):
    call_only = letter_alert(channels=["call"])
    submit_form(client, f"/a/{call_only.slug}", ANA)
    page = client.get(f"/a/{call_only.slug}/call").text
    assert "Add your name to the letter" not in page
    # A hand-made post to an alert without the letter, or without the form filled in.
    assert client.post(f"/a/{call_only.slug}/sign", data={}).status_code == 302
    letter = letter_alert()
    assert client.post(f"/a/{letter.slug}/sign", data={}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Action)) == 0


@pytest.mark.parametrize("city, message", [
    ("<script>alert(1)</script>", "Please use only letters"),
    ("Cheyenne\r\nBcc: victim@example.org", "Please remove line breaks"),
    ("C" * 101, "under 100 characters"),
])
def test_hostile_signature_input_is_refused_with_a_message(client, letter_alert, city, message):
    alert = letter_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    form = _sign_form(client, alert)
    response = client.post(form["action"], data={**form["fields"], "city": city})
    assert response.status_code == 422
    assert message in response.text
    assert "<script>alert(1)" not in response.text
    assert _signatures(alert) == 0


def test_a_forged_submission_key_or_missing_csrf_is_refused(client, letter_alert):
    alert = letter_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    form = _sign_form(client, alert)
    bad_key = client.post(form["action"], data={**form["fields"],
                                                "submission_key": "<x>' OR 1=1 --"})
    assert bad_key.status_code == 422
    no_csrf = client.post(form["action"], data={"submission_key": "a" * 24})
    assert no_csrf.status_code == 422
    assert "The form expired" in no_csrf.text
    assert _signatures(alert) == 0


def test_hostile_names_are_refused_by_the_action_form(client, letter_alert):
    alert = letter_alert()
    response = submit_form(client, f"/a/{alert.slug}", {**ANA, "first_name": "<script>x"})
    assert response.status_code == 422
    response = submit_form(client, f"/a/{alert.slug}", {**ANA, "last_name": "Gómez\r\nBcc: x"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 0


def test_a_closed_alert_takes_no_signature(client, letter_alert):
    alert = letter_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    form = _sign_form(client, alert)
    alert.status = "closed"
    db.session.commit()
    response = client.post(form["action"], data=form["fields"])
    assert response.status_code == 302
    assert _signatures(alert) == 0


# --- The public page ---------------------------------------------------------------------------

def test_the_page_shows_the_live_count_and_progress_toward_the_goal(client, letter_alert):
    alert = letter_alert(signature_goal=10)
    for _ in range(3):
        _sign(alert, add_supporter())
    db.session.commit()
    page = client.get(f"/a/{alert.slug}").text
    assert "<strong>3</strong> people have signed the letter. Goal: 10." in page
    progress = re.search(r"<progress[^>]*>", page).group(0)
    assert 'max="10"' in progress and 'value="3"' in progress and "aria-label" in progress
    _sign(alert, add_supporter())
    db.session.commit()
    assert "<strong>4</strong> people have signed" in client.get(f"/a/{alert.slug}").text


def test_the_count_without_a_goal_has_no_bar_and_a_goal_passed_stays_full(client, letter_alert):
    alert = letter_alert()
    _sign(alert, add_supporter())
    db.session.commit()
    page = client.get(f"/a/{alert.slug}").text
    assert "<strong>1</strong> person has signed the letter." in page
    assert "<progress" not in page
    alert.signature_goal = 1
    _sign(alert, add_supporter())
    db.session.commit()
    progress = re.search(r"<progress[^>]*>", client.get(f"/a/{alert.slug}").text).group(0)
    assert 'max="1"' in progress and 'value="1"' in progress
    # An alert without the letter shows no count at all.
    assert "signed the letter" not in client.get(
        f"/a/{letter_alert(channels=['call']).slug}").text


def test_the_public_list_is_off_unless_the_organizer_turns_it_on(client, letter_alert):
    alert = letter_alert()
    _sign(alert, add_supporter(first_name="Ana", last_name="Gómez", city="Cheyenne"))
    db.session.commit()
    page = client.get(f"/a/{alert.slug}").text
    assert "Recent signers" not in page and "Ana G." not in page
    alert.public_signer_list = "initials_city"
    db.session.commit()
    page = client.get(f"/a/{alert.slug}").text
    assert "Recent signers" in page
    assert "Ana G., Cheyenne" in page
    assert "Gómez" not in page and "@example.org" not in page and "10001" not in page


def test_the_public_list_escapes_what_it_shows(client, letter_alert):
    alert = letter_alert(public_signer_list="initials_city")
    # Written straight to the database (an import, an old row): the page must still escape.
    _sign(alert, add_supporter(first_name="<script>alert(1)</script>", last_name="<b>X",
                               city='"><img src=x onerror=alert(2)>'))
    db.session.commit()
    page = client.get(f"/a/{alert.slug}").text
    listed = re.search(r'<ul id="signer-list">(.*?)</ul>', page, re.S).group(1)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; B., &#34;&gt;&lt;img src=x" in listed
    assert "<script>alert(1)" not in page and "<img src=x" not in page


def test_names_stored_with_bidirectional_overrides_show_as_written(client, letter_alert):
    """Issue 12 item 2: a name stored before the forms refused U+202E showed reversed on the
    public list of signers; the list drops such characters."""
    alert = letter_alert(public_signer_list="initials_city")
    _sign(alert, add_supporter(first_name="\u202eanA", last_name="Gómez",
                               city="Long \u2067Beach\u2069"))
    db.session.commit()
    page = client.get(f"/a/{alert.slug}").text
    listed = re.search(r'<ul id="signer-list">(.*?)</ul>', page, re.S).group(1)
    assert "anA G., Long Beach" in listed
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", page)


def test_the_last_initial_is_a_letter():
    from campaign_app.actions.queries import _initial

    assert [_initial(name) for name in ("gómez", "=Chen", "'t Hooft", "--", "Ødegaard")] == \
        ["G.", "C.", "T.", "", "Ø."]


def test_the_public_list_shows_the_latest_fifty(client, letter_alert):
    alert = letter_alert(public_signer_list="initials_city")
    for number in range(55):
        _sign(alert, add_supporter(first_name=f"Signer{number}", last_name="zoë", city=None))
    db.session.commit()
    page = client.get(f"/a/{alert.slug}").text
    listed = re.search(r'<ul id="signer-list">(.*?)</ul>', page, re.S).group(1)
    assert listed.count("<li>") == 50
    assert "<li>Signer54 Z.</li>" in listed  # the newest first; no city, no trailing comma
    assert "<li>Signer53 Z.</li>" in listed.split("<li>Signer54")[1]
    assert "Signer4 Z." not in listed and "Signer0 Z." not in listed  # the oldest left off
    assert "<strong>55</strong> people have signed" in page


# --- The letter for delivery ---------------------------------------------------------------

NY10, NY12, WY0 = "G000599", "N000002", "H001096"
NY_SENATORS, WY_SENATORS = {"G000555", "S000148"}, {"B001261", "L000571"}


@pytest.fixture
def signed_in_two_ny_districts(letter_alert):
    alert = letter_alert(target_rule="all")
    people = {
        "ny12a": add_supporter(first_name="Ana", last_name="Nguyễn", city="New York",
                               state="NY", district=12, zip_code="10001"),
        "ny12b": add_supporter(first_name="Zoë", last_name="Brown", city="New York",
                               state="NY", district=12, zip_code="10011"),
        "ny10": add_supporter(first_name="Bo", last_name="=Chen", city="Brooklyn",
                              state="NY", district=10, zip_code="11201"),
        "wy": add_supporter(first_name="Wyatt", last_name="Earp", city="Cheyenne",
                            state="WY", district=0, zip_code="82001"),
    }
    for supporter in people.values():
        _sign(alert, supporter)
    # Someone who only called is not a signer.
    add_action(alert, add_supporter(first_name="Caller", state="NY", district=12), NY12)
    db.session.commit()
    return alert


def _offices_page(client, alert):
    page = client.get(f"/staff/alerts/{alert.slug}/signons/letter")
    assert page.status_code == 200
    return page.text


def _pdf(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(response.data))


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "Content-Length" not in response.headers  # streamed
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_signers_are_grouped_by_office(client, login, signed_in_two_ny_districts):
    from campaign_app.signons.letter import letter_offices

    alert = signed_in_two_ny_districts
    offices = {o.bioguide_id: o for o in letter_offices(alert)}
    assert set(offices) == {NY10, NY12, WY0} | NY_SENATORS | WY_SENATORS
    assert offices[NY12].signer_count == 2 and offices[NY10].signer_count == 1
    assert all(offices[s].signer_count == 3 for s in NY_SENATORS)
    assert all(offices[s].signer_count == 1 for s in WY_SENATORS)
    login("viewer")
    page = _offices_page(client, alert)
    assert "Jerrold Nadler" in page and "NY-12" in page and "Charles E. Schumer" in page
    rows = _csv(client.get(f"/staff/alerts/{alert.slug}/signons/letter/{NY12}.csv"))
    assert sorted(r["last_name"] for r in rows) == ["Brown", "Nguyễn"]
    senator = next(iter(NY_SENATORS))
    rows = _csv(client.get(f"/staff/alerts/{alert.slug}/signons/letter/{senator}.csv"))
    assert sorted(r["first_name"] for r in rows) == ["Ana", "Bo", "Zoë"]


def test_the_target_rule_decides_which_offices_receive_it(signed_in_two_ny_districts):
    from campaign_app.signons.letter import letter_offices

    alert = signed_in_two_ny_districts
    alert.target_rule = "house"
    assert {o.bioguide_id for o in letter_offices(alert)} == {NY10, NY12, WY0}
    alert.target_rule = "senate"
    assert {o.bioguide_id for o in letter_offices(alert)} == NY_SENATORS | WY_SENATORS
    alert.target_rule, alert.target_ids = "listed", [NY12, "S000148"]
    assert {o.bioguide_id for o in letter_offices(alert)} == {NY12, "S000148"}


def test_the_combined_pdf_has_a_page_per_office_with_the_right_names(
        client, login, signed_in_two_ny_districts):
    alert = signed_in_two_ny_districts
    login("viewer")
    reader = _pdf(client.get(f"/staff/alerts/{alert.slug}/signons/letter.pdf"))
    assert len(reader.pages) == 7
    texts = [page.extract_text() for page in reader.pages]
    nadler = next(text for text in texts if "Jerrold Nadler (NY-12)" in text)
    assert "Dear Rep. Jerrold Nadler," in nadler
    assert "human rights first" in nadler
    assert "Signed by 2 constituents" in nadler
    assert "Ana Nguyễn" in nadler and "Zoë Brown" in nadler and "10011" in nadler
    assert "Bo" not in nadler and "Wyatt" not in nadler and "Caller" not in nadler
    assert "@example.org" not in "".join(texts)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.letter_pdf")).one()
    assert event.detail == {"office": "all", "offices": 7, "signers": 4}


def test_a_pdf_per_office(client, login, signed_in_two_ny_districts):
    alert = signed_in_two_ny_districts
    login("viewer")
    reader = _pdf(client.get(f"/staff/alerts/{alert.slug}/signons/letter/{NY10}.pdf"))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Daniel S. Goldman (NY-10)" in text and "=Chen" in text and "Brooklyn" in text
    assert "Nguyễn" not in text
    # An office that gets no letter, or no office at all, is not found.
    assert client.get(f"/staff/alerts/{alert.slug}/signons/letter/O000172.pdf"
                      ).status_code == 404
    assert client.get(f"/staff/alerts/{alert.slug}/signons/letter/x'%3B.pdf"
                      ).status_code == 404


def test_without_a_unicode_font_names_are_transliterated_not_lost(
        app, client, login, signed_in_two_ny_districts, monkeypatch):
    monkeypatch.setitem(app.config, "LETTER_FONT", "core")
    alert = signed_in_two_ny_districts
    login("viewer")
    reader = _pdf(client.get(f"/staff/alerts/{alert.slug}/signons/letter/{NY12}.pdf"))
    text = reader.pages[0].extract_text()
    assert "Ana Nguyen" in text and "Zoë Brown" in text  # Latin-1 keeps ë, not ễ


def test_transliteration_never_fails():
    from campaign_app.signons.letter_pdf import _is_latin1, transliterate

    assert transliterate("Nguyễn “Zoë” – 王芳\x00", _is_latin1) == 'Nguyen "Zoë" - ???'
    assert transliterate("Łukasz Ørsted-Ćwik", _is_latin1) == "?ukasz Ørsted-Cwik"


def test_the_signer_csv_has_district_and_house_member_and_no_contact_data(
        client, login, signed_in_two_ny_districts):
    alert = signed_in_two_ny_districts
    login("organizer")
    rows = _csv(client.get(f"/staff/alerts/{alert.slug}/signons/letter.csv"))
    assert len(rows) == 4
    assert set(rows[0]) == {"signed_at_utc", "first_name", "last_name", "city", "zip_code",
                            "state", "district", "house_member", "house_bioguide_id"}
    chen = next(row for row in rows if row["first_name"] == "Bo")
    assert chen["last_name"] == "'=Chen"  # a formula is defused
    assert (chen["state"], chen["district"], chen["house_bioguide_id"]) == ("NY", "10", NY10)
    assert chen["house_member"] == "Daniel S. Goldman"
    assert [row["state"] for row in rows] == ["NY", "NY", "NY", "WY"]
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.letter_csv")).one().detail == {"office": "all"}


def test_letter_pages_need_a_login(client, signed_in_two_ny_districts):
    alert = signed_in_two_ny_districts
    for url in ("letter", "letter.pdf", "letter.csv", f"letter/{NY12}.pdf",
                f"letter/{NY12}.csv"):
        response = client.get(f"/staff/alerts/{alert.slug}/signons/{url}")
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login")


def test_no_signers_no_letter(client, login, letter_alert):
    alert = letter_alert()
    login("viewer")
    assert "Nobody has signed yet" in _offices_page(client, alert)
    response = client.get(f"/staff/alerts/{alert.slug}/signons/letter.pdf")
    assert response.status_code == 302


# --- Counts elsewhere ---------------------------------------------------------------------------

def test_signatures_count_once_on_the_dashboard_whip_list_and_exports(
        client, login, letter_alert):
    alert = letter_alert()
    supporter = add_supporter(state="WY", district=0, zip_code="82001")
    add_action(alert, supporter, WY0)
    _sign(alert, supporter)
    _sign(alert, supporter, key="second-try-key-00000")
    db.session.commit()
    counts = alert_counts(alert.id)
    assert (counts.supporter_count, counts.action_count, counts.call_count) == (1, 2, 1)
    pressure = member_pressure(alert.id)
    assert set(pressure) == {WY0} and pressure[WY0][0] == 1
    login("viewer")
    dashboard = client.get(f"/staff/alerts/{alert.slug}").text
    assert re.search(r'id="signature-count">1<', dashboard)
    assert re.search(r'id="supporter-count">1<', dashboard)
    response = client.get(f"/staff/alerts/{alert.slug}/exports/actions.csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert sorted(row["kind"] for row in rows) == ["call", "signon"]
    assert next(r for r in rows if r["kind"] == "signon")["bioguide_id"] == ""


# --- The editor -----------------------------------------------------------------------------

def test_the_organizer_sets_the_letter_goal_and_public_list(client, login, letter_alert):
    alert = letter_alert(channels=["call"], letter_text="")
    login("organizer")
    url = f"/staff/alerts/{alert.id}/edit"
    form = form_for(client.get(url).text, containing="appeal")
    data = {**form["fields"], "channels": ["call", "signon"], "letter_text": ""}
    data.pop("skip_signed", None)
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    assert "Please write the letter supporters sign" in refused.text
    data.update(letter_text=LETTER, signature_goal="5000", public_signer_list="initials_city")
    saved = client.post(url, data=data)
    assert saved.status_code == 302, saved.text[:2000]
    db.session.refresh(alert)
    assert alert.channels == ["call", "signon"]
    assert (alert.signature_goal, alert.public_signer_list) == (5000, "initials_city")
    assert alert.letter_text == LETTER
    data.update(letter_text="Dear [[First_Name]],")  # the letter has many signers
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    assert "can&#39;t be used here" in refused.text and "[[Target_Name]]" in refused.text
    data.update(letter_text=LETTER, public_signer_list="everything")
    assert client.post(url, data=data).status_code == 422



def test_signers_are_not_reminded(letter_alert):
    from campaign_app.mailings.models import Mailing, MailingRecipient
    from campaign_app.mailings.segments import reminder_audience

    alert = letter_alert()
    signer, waiting = add_supporter(), add_supporter()
    mailing = Mailing(alert_id=alert.id, kind="alert", segment={}, subject="s", body="b")
    db.session.add(mailing)
    db.session.flush()
    for supporter in (signer, waiting):
        db.session.add(MailingRecipient(mailing_id=mailing.id, supporter_id=supporter.id,
                                        status="sent"))
    _sign(alert, signer)
    assert set(db.session.scalars(reminder_audience(alert.id))) == {waiting.id}
