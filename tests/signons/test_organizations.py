"""Organizations sign a statement: spam and hostile input are refused or inert, and only approved
names are ever public; staff export the approved list in their order."""

import re

import pytest
from sqlalchemy import func, select

from campaign_app.alerts.signons import SignOn
from campaign_app.audit.models import AuditEvent
from campaign_app.core.db import db
from tests.factories import add_alert
from tests.helpers import form_for, forms_on, submit_form

GOOD = {"organization_name": "Derechos Humanos Ahora", "country": "Mexico",
        "website": "derechos.example.org", "contact_name": "Lucía Pérez",
        "contact_email": "lucia@derechos.example.org"}


@pytest.fixture
def statement(db_session):
    return add_alert(channels=["call", "signon"])


def _url(alert):
    return f"/a/{alert.slug}/organizations"


def _public_list(client, alert):
    page = client.get(_url(alert)).text
    return re.search(r'<ul id="organization-signers">(.*?)</ul>', page, re.S).group(1)


def _count():
    return db.session.scalar(select(func.count()).select_from(SignOn))


def _sign(client, alert, **values):
    return submit_form(client, _url(alert), {**GOOD, **values})


def test_organization_signs_and_appears_only_once_approved(client, statement, login):
    response = _sign(client, statement)
    assert response.status_code == 302
    signon = db.session.scalars(select(SignOn)).one()
    assert signon.status == "pending" and signon.website == "https://derechos.example.org"
    public = client.get(_url(statement)).text
    assert "once our staff have checked it" in public
    assert "Derechos Humanos Ahora" not in public  # not approved yet

    login("organizer")
    page = client.get(f"/staff/alerts/{statement.slug}/signons/organizations").text
    assert "lucia@derechos.example.org" in page  # organizers see the private contact
    approve = next(f for f in forms_on(page) if (f["action"] or "").endswith("/review"))
    client.post(approve["action"], data={**approve["fields"], "status": "approved"})
    assert signon.status == "approved"
    public = client.get(_url(statement)).text
    assert "Derechos Humanos Ahora (Mexico)" in public
    assert "lucia" not in public and "Lucía" not in public  # the contact stays private


def test_rejected_and_pending_names_never_show(client, statement, login):
    _sign(client, statement)
    _sign(client, statement, organization_name="Spammy Pills Inc")
    login("organizer")
    page = client.get(f"/staff/alerts/{statement.slug}/signons/organizations").text
    reject = [f for f in forms_on(page) if (f["action"] or "").endswith("/review")]
    for form in reject:
        client.post(form["action"], data={**form["fields"], "status": "rejected"})
    public = _public_list(client, statement)
    assert "Spammy" not in public and "Derechos" not in public
    assert "Be the first to sign." in public


HOSTILE = {
    "script in name": ({"organization_name": "<script>alert(1)</script>"}, "angle brackets"),
    "link in name": ({"organization_name": "Cheap meds http://spam.example"}, "without links"),
    "javascript website": ({"website": "javascript:alert(1)"}, "web address like"),
    "website with quotes": ({"website": 'https://x.org/"onmouseover=alert(1)'}, "web address"),
    "header injection": ({"contact_email": "a@b.org\r\nBcc: x@evil.test"}, "line breaks"),
    "too long name": ({"organization_name": "x" * 201}, "under 200 characters"),
    "no letters": ({"organization_name": "12345 !!!"}, "with letters"),
    "empty": ({"organization_name": "", "contact_email": ""}, "organization&#39;s name"),
    "honeypot": ({"fax": "555-0100"}, "leave this field empty"),
    "control characters": ({"contact_name": "Ana\x00"}, "control characters"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_input_is_refused_with_input_kept(client, statement, case):
    values, message = HOSTILE[case]
    response = _sign(client, statement, **values)
    assert response.status_code == 422
    assert message.lower() in response.text.lower()
    assert "<script>alert" not in response.text
    assert 'value="Mexico"' in response.text  # the rest of the input is kept
    assert _count() == 0


def test_missing_csrf_token_is_refused(client, statement):
    response = submit_form(client, _url(statement), GOOD, drop=("csrf_token",))
    assert response.status_code == 422 and _count() == 0


def test_duplicate_organization_is_told_politely(client, statement):
    _sign(client, statement)
    db.session.scalars(select(SignOn)).one().status = "approved"  # on the public list now
    db.session.commit()
    response = _sign(client, statement, organization_name="  derechos humanos AHORA ")
    assert response.status_code == 422 and "already signed" in response.text
    assert _count() == 1


def test_a_name_waiting_for_review_is_not_revealed_and_the_second_submission_is_kept(
        client, login, statement):
    """Issue 12 item 1, on the organizations' form: a second browser typing the name of an
    organization still waiting for review learns nothing (the answer is the one a new name
    gets), changes nothing of the first submission, and loses nothing: staff see it."""
    _sign(client, statement)
    other = client.application.test_client()
    response = _sign(other, statement, organization_name="Derechos Humanos Ahora",
                     contact_name="Eve Spy", contact_email="eve@example.net")
    assert response.status_code == 302
    assert "will appear on the list once our staff" in other.get(response.headers["Location"]).text
    signon = db.session.scalars(select(SignOn)).one()
    assert signon.contact_email == GOOD["contact_email"] and signon.status == "pending"
    assert "Eve Spy <eve@example.net>" in signon.note
    login("organizer")
    assert "Eve Spy &lt;eve@example.net&gt;" in client.get(
        f"/staff/alerts/{statement.slug}/signons/organizations").text


def test_public_form_is_rate_limited_per_address(app, client, statement):
    limit = app.config["SIGNON_LIMIT_PER_IP"]
    for number in range(limit):
        _sign(client, statement, organization_name=f"Group number {chr(65 + number)}")
    response = _sign(client, statement, organization_name="One too many")
    assert response.status_code == 429 and "Too many sign-ons" in response.text
    assert _count() == limit


def test_no_public_form_without_the_signon_channel(client):
    alert = add_alert(channels=["call"])
    assert client.get(_url(alert)).status_code == 404
    draft = add_alert(channels=["signon"], status="draft")
    assert client.get(_url(draft)).status_code == 404


def test_export_in_staff_order_as_text_and_csv(client, statement, login):
    for name in ("Beta Group", "=cmd|' /C calc'!A0", "Alpha Org"):
        _sign(client, statement, organization_name=name.replace("=", "Eq "),
              contact_email="c@example.org")
    db.session.execute(SignOn.__table__.update().values(status="approved"))
    db.session.add(SignOn(alert_id=statement.id, kind="organization", signer_key="formula",
                          organization_name="=HYPERLINK(\"http://evil\")", country="US",
                          status="approved"))
    db.session.flush()
    login("viewer")
    text_export = client.get(f"/staff/alerts/{statement.slug}/signons/organizations/export.txt"
                             "?order=name")
    assert text_export.mimetype == "text/plain"
    lines = text_export.text.splitlines()
    assert lines[1:3] == ["Alpha Org (Mexico)", "Beta Group (Mexico)"]

    login_page = client.get(f"/staff/alerts/{statement.slug}/signons/organizations").text
    assert "c@example.org" not in login_page  # viewers don't see contacts
    csv_export = client.get(f"/staff/alerts/{statement.slug}/signons/organizations/export.csv")
    assert csv_export.mimetype == "text/csv"
    assert "'=HYPERLINK" in csv_export.text  # a formula is defused
    assert "c@example.org" not in csv_export.text
    exports = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("export.%"))).all()
    assert sorted(exports) == ["export.organizations_csv", "export.organizations_text"]


def test_organizer_orders_the_list(client, statement, login):
    for name in ("Alpha", "Beta", "Gamma"):
        _sign(client, statement, organization_name=name)
    db.session.execute(SignOn.__table__.update().values(status="approved"))
    login("organizer")
    page = client.get(f"/staff/alerts/{statement.slug}/signons/organizations").text
    form = form_for(page, action=f"/staff/alerts/{statement.slug}/signons/organizations/order")
    ids = {db.session.scalar(select(SignOn.id).where(SignOn.organization_name == name)): name
           for name in ("Alpha", "Beta", "Gamma")}
    wanted = {"Gamma": "1", "Alpha": "2", "Beta": "3"}
    data = {**form["fields"], **{f"position-{i}": wanted[name] for i, name in ids.items()}}
    client.post(form["action"], data=data)
    text_export = client.get(f"/staff/alerts/{statement.slug}/signons/organizations/export.txt")
    assert text_export.text.splitlines() == ["Gamma (Mexico)", "Alpha (Mexico)", "Beta (Mexico)"]
    bad = {**form["fields"], f"position-{next(iter(ids))}": "-1; DROP"}
    response = client.post(form["action"], data=bad)
    assert "whole numbers" in client.get(response.headers["Location"]).text
