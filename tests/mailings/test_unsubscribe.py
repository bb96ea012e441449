"""Unsubscribe: one click, no login, final; forged tokens refused. The bounce webhook."""

import pytest
from sqlalchemy import select

from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.tokens import make_unsubscribe_token
from tests.factories import add_alert, add_supporters


@pytest.fixture
def supporter(db_session):
    [email] = add_supporters(1)
    return db.session.scalars(select(Supporter).where(Supporter.email == email)).one()


def test_get_asks_and_post_unsubscribes(client, supporter):
    token = make_unsubscribe_token(supporter.id)
    page = client.get(f"/u/{token}")
    assert page.status_code == 200 and "Unsubscribe from action alerts?" in page.text
    db.session.refresh(supporter)
    assert supporter.is_subscribed  # a link scanner's GET changes nothing
    response = client.post(f"/u/{token}")
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    db.session.refresh(supporter)
    assert not supporter.is_subscribed and supporter.unsubscribed_at is not None
    again = client.post(f"/u/{token}")  # idempotent
    assert again.status_code == 200 and "You are unsubscribed" in again.text


def test_one_click_post_from_a_mail_client(client, supporter):
    token = make_unsubscribe_token(supporter.id)
    response = client.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.refresh(supporter)
    assert not supporter.is_subscribed


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # altered signature
    lambda t: "1." + t.split(".", 1)[1],  # another supporter's id with this signature
    lambda t: "x" * 300,
    lambda t: "not-a-token",
])
def test_forged_or_altered_tokens_are_refused(client, supporter, mangle):
    token = mangle(make_unsubscribe_token(supporter.id))
    response = client.post(f"/u/{token}")
    assert response.status_code == 404
    assert "This link doesn't work" in response.text
    db.session.refresh(supporter)
    assert supporter.is_subscribed


def test_token_signed_with_another_secret_is_refused(app, client, supporter):
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("guessed-secret", salt="alerta.unsubscribe").dumps(
        supporter.id)
    assert client.post(f"/u/{forged}").status_code == 404


def test_resubscribe_only_by_opting_in_on_an_action_form(client, supporter, full_data):
    from tests.helpers import submit_form

    client.post(f"/u/{make_unsubscribe_token(supporter.id)}")
    alert = add_alert()
    values = {"first_name": "Ana", "last_name": "Gómez", "email": supporter.email,
              "zip_code": "82001"}
    submit_form(client, f"/a/{alert.slug}", values)
    db.session.refresh(supporter)
    assert not supporter.is_subscribed
    submit_form(client, f"/a/{alert.slug}", {**values, "opt_in": "y"})
    db.session.refresh(supporter)
    assert supporter.is_subscribed


class TestBounceWebhook:
    @pytest.fixture(autouse=True)
    def secret(self, app):
        app.config["BOUNCE_WEBHOOK_SECRET"] = "s3cret"
        yield
        app.config["BOUNCE_WEBHOOK_SECRET"] = ""

    def test_bounce_marks_the_supporter_undeliverable(self, client, supporter):
        response = client.post("/hooks/bounces", json={
            "email": supporter.email.upper(), "type": "bounce", "reason": "550 no such user"},
            headers={"X-Alerta-Webhook-Secret": "s3cret"})
        assert response.status_code == 200 and response.json == {"ok": True, "known": True}
        db.session.refresh(supporter)
        assert supporter.is_undeliverable
        assert supporter.undeliverable_reason == "bounce: 550 no such user"

    @pytest.mark.parametrize("headers,payload,status", [
        ({}, {"email": "a@example.org", "type": "bounce"}, 403),
        ({"X-Alerta-Webhook-Secret": "wrong"}, {"email": "a@example.org", "type": "bounce"},
         403),
        ({"X-Alerta-Webhook-Secret": "s3cret"}, {"email": "a@example.org"}, 400),
        ({"X-Alerta-Webhook-Secret": "s3cret"}, ["not", "an", "object"], 400),
        ({"X-Alerta-Webhook-Secret": "s3cret"}, {"email": "a" * 300, "type": "bounce"}, 400),
    ])
    def test_bad_calls_are_refused(self, client, supporter, headers, payload, status):
        response = client.post("/hooks/bounces", json=payload, headers=headers)
        assert response.status_code == status
        db.session.refresh(supporter)
        assert not supporter.is_undeliverable
