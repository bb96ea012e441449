"""Source codes (issue 17, item 2): where each action came from — a mailing's links, a
post's ?source=, utm_* — stored first-come on the submission, its actions and a new
supporter, and counted on the dashboard, in the CSV export and in the API."""

import csv
import io
import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.api.operations import create_api_key
from campaign_app.core.db import db
from campaign_app.mailings import operations
from campaign_app.mailings.messages import MailingRenderer, Recipient
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.sources import source_from_args
from tests.factories import add_alert, add_supporters, add_user
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}


def _report_a_call(client, alert) -> None:
    form = form_for(client.get(f"/a/{alert.slug}/call").text, containing="bioguide_id")
    response = client.post(form["action"], data={**form["fields"], "outcome": "talked"})
    assert response.status_code == 302, response.text


def _sources():
    return list(db.session.scalars(select(Action.source_code).order_by(Action.id)))


def test_a_mailings_links_carry_its_code_and_its_actions_are_counted_under_it(
        client, login, full_data):
    alert = add_alert()
    [email] = add_supporters(1)
    supporter_id = db.session.scalar(select(Supporter.id).filter_by(email=email))
    mailing = operations.create_mailing(alert, {"type": "all"})
    db.session.commit()
    person = Recipient(recipient_id=1, supporter_id=supporter_id, email=email,
                       first_name="Ana", last_name="Ríos", zip_code="82001", city=None,
                       state="WY", district=0)
    message = message_from_bytes(MailingRenderer(mailing, alert).render(person).data,
                                 policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    link = re.search(rf"http://\S+(/a/{alert.slug}\?\S+)", text).group(1)
    assert f"source=mailing-{mailing.id}" in link

    # The supporter follows the link and acts.
    page = client.get(link)
    assert page.status_code == 200
    form = form_for(page.text, containing="email")
    assert client.post(form["action"], data=form["fields"]).status_code == 302
    _report_a_call(client, alert)
    code = f"mailing-{mailing.id}"
    assert _sources() == [code]

    staff = login("organizer")
    dashboard = staff.get(f"/staff/alerts/{alert.slug}").text
    row = re.search(r'<table id="by-source">.*?</table>', dashboard, re.S).group(0)
    assert f"<th scope=\"row\">{code}</th><td>1</td><td>1</td>" in row
    export = staff.get(f"/staff/alerts/{alert.slug}/exports/actions.csv")
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert [row["source_code"] for row in rows] == [code]
    _, key = create_api_key("CRM", "viewer", by=add_user(email="admin@example.org",
                                                          role="admin"))
    db.session.commit()
    outreaches = client.get(f"/api/v1/advocacy_campaigns/{alert.id}/outreaches",
                            headers={"OSDI-API-Token": key}).json["_embedded"]["osdi:outreaches"]
    assert [o["referrer_data"]["source"] for o in outreaches] == [code]


def test_a_new_supporters_first_source_is_in_the_supporters_export_and_the_api(
        client, login, full_data):
    alert = add_alert()
    assert submit_form(client, f"/a/{alert.slug}?source=spring-blog", ANA).status_code == 302
    _report_a_call(client, alert)
    staff = login("organizer")
    export = staff.get(f"/staff/alerts/{alert.slug}/exports/supporters.csv")
    [row] = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert (row["source_code"], row["email"]) == ("spring-blog", "")  # Ana did not opt in
    _, key = create_api_key("CRM", "read", by=add_user(email="admin@example.org", role="admin"))
    db.session.commit()
    people = client.get("/api/v1/people", headers={"OSDI-API-Token": key}).json
    [person] = people["_embedded"]["osdi:people"]
    assert person["custom_fields"]["source_code"] == "spring-blog"


def test_the_first_source_counts_and_a_new_supporter_keeps_it(client, full_data):
    alert = add_alert()
    assert client.get(f"/a/{alert.slug}?source=spring-blog").status_code == 200
    # A later link with another code does not replace the first.
    assert submit_form(client, f"/a/{alert.slug}?source=partner-x", ANA).status_code == 302
    _report_a_call(client, alert)
    assert _sources() == ["spring-blog"]
    supporter = db.session.scalar(select(Supporter).filter_by(email="ana@example.org"))
    assert supporter.source_code == "spring-blog"


def test_an_existing_supporter_keeps_their_own_first_source(client, full_data):
    add_supporters(1, email="ana@example.org", source_code="the-first-visit")
    alert = add_alert()
    assert submit_form(client, f"/a/{alert.slug}?source=later-post", ANA).status_code == 302
    _report_a_call(client, alert)
    assert _sources() == ["later-post"]  # the action says where it came from
    supporter = db.session.scalar(select(Supporter).filter_by(email="ana@example.org"))
    assert supporter.source_code == "the-first-visit"


def test_utm_parameters_become_one_code_and_malformed_codes_are_ignored(client, full_data):
    assert source_from_args({"utm_source": "newsletter", "utm_medium": "email",
                             "utm_campaign": "july"}) == "utm:newsletter/email/july"
    assert source_from_args({"utm_source": "fb"}) == "utm:fb"
    assert source_from_args({"source": "x" * 101}) is None
    assert source_from_args({"source": "<script>"}) is None
    alert = add_alert()
    for hostile in ("<script>alert(1)</script>", "a" * 5000, "%00", "é"):
        response = client.get(f"/a/{alert.slug}", query_string={"source": hostile})
        assert response.status_code == 200
    assert submit_form(client, f"/a/{alert.slug}?utm_source=newsletter&utm_medium=email",
                       ANA).status_code == 302
    _report_a_call(client, alert)
    assert _sources() == ["utm:newsletter/email"]


def test_an_outreach_recorded_through_the_api_may_name_its_source(client, full_data):
    alert = add_alert()
    _, key = create_api_key("Events", "read_write",
                            by=add_user(email="admin@example.org", role="admin"))
    db.session.commit()
    body = {"person": {"given_name": "Ana", "family_name": "Lima",
                       "email_addresses": [{"address": "ana@example.org"}],
                       "postal_addresses": [{"postal_code": "82001"}]},
            "type": "phone", "targets": [{"identifiers": ["bioguide:H001096"]}],
            "custom_fields": {"outcome": "talked"}}
    path = f"/api/v1/advocacy_campaigns/{alert.id}/outreaches"
    headers = {"OSDI-API-Token": key}
    refused = client.post(path, headers=headers, json={
        **body, "referrer_data": {"source": "<script>"}})
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json["errors"]] == ["referrer_data.source"]
    answer = client.post(path, headers=headers, json={
        **body, "referrer_data": {"source": "town-hall-july"}})
    assert answer.status_code == 201, answer.json
    assert answer.json["referrer_data"]["source"] == "town-hall-july"
    assert _sources() == ["town-hall-july"]
