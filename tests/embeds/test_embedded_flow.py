"""The embedded action pages without cookies (issue 17): the state and CSRF secret travel
in a signed token; a forged, expired, foreign or replayed token is refused before anything
is written; framing is allowed to the listed sites only."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.core.tokensession import EmbedTokenUse, dump_token, new_token_session
from campaign_app.supporters.models import Submission, Supporter
from tests.factories import add_alert
from tests.helpers import form_for

pytestmark = pytest.mark.full_data

HOST = "https://blog.example.org"
ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}
EMAIL = {"prefix": "Ms.", "street": "2020 Carey Ave", "city": "Cheyenne",
         "phone": "307-555-0100"}


@pytest.fixture
def browser_without_cookies(app, db_session):
    """A cross-site iframe's view of us: no cookie is ever stored or sent."""
    return app.test_client(use_cookies=False)


def _rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _enter(client, alert, **args) -> str:
    """The frame's first request; returns the embedded alert page's URL (with its token)."""
    response = client.get(f"/a/{alert.slug}/embed", query_string={"host": HOST, **args})
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers
    location = response.headers["Location"]
    assert urlsplit(location).path == f"/a/{alert.slug}"
    return location


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["embed"][0]


def _post_form(client, url, values, *, containing=None):
    page = client.get(url)
    assert page.status_code == 200, page.text
    form = form_for(page.text, containing=containing or next(iter(values)))
    return client.post(form["action"], data={**form["fields"], **values}), form


def test_the_whole_action_works_without_a_cookie(browser_without_cookies, full_data):
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    url = _enter(client, alert)

    started, _ = _post_form(client, url, ANA)
    assert started.status_code == 302 and "Set-Cookie" not in started.headers
    call_url = started.headers["Location"]
    assert urlsplit(call_url).path == f"/a/{alert.slug}/call" and _token(call_url) != _token(url)

    reported, _ = _post_form(client, call_url, {"outcome": "talked"}, containing="bioguide_id")
    assert reported.status_code == 302
    emailed, _ = _post_form(client, reported.headers["Location"], EMAIL, containing="street")
    assert emailed.status_code == 302
    done = client.get(emailed.headers["Location"])
    finish = re.search(rf'href="(/a/{alert.slug}/thanks\?embed=[^"]+)"', done.text).group(1)
    thanks = client.get(html.unescape(finish))
    assert thanks.status_code == 200
    # Share links lead to the alert's own page, never into this visit.
    assert "share-bluesky" in thanks.text and "embed%3D" not in thanks.text

    actions = db.session.execute(select(Action.kind, Action.source_code)).all()
    assert sorted(kind for kind, _ in actions) == ["call", "email", "email", "email"]
    assert {source for _, source in actions} == {HOST}  # the host's origin is the source
    supporter = db.session.scalar(select(Supporter).filter_by(email="ana@example.org"))
    assert supporter.source_code == HOST


def test_an_embedded_page_may_be_framed_by_the_allowed_sites_only(browser_without_cookies,
                                                                  full_data, app):
    client = browser_without_cookies
    alert = add_alert(embed_origins=f"{HOST}\nhttps://www.example.org")
    page = client.get(_enter(client, alert))
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors https://blog.example.org https://www.example.org;" in policy
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "X-Frame-Options" not in page.headers
    assert '<header class="site">' not in page.text and '<footer class="site">' not in page.text
    assert f'data-alerta-host="{HOST}"' in page.text

    # The same page outside the embed, and every other page, stays unframeable.
    for other in (f"/a/{alert.slug}", "/login"):
        response = client.get(other)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_without_allowed_sites_nobody_may_frame_the_alert(browser_without_cookies, full_data,
                                                           app, monkeypatch):
    monkeypatch.setitem(app.config, "EMBED_ALLOWED_ORIGINS", "")
    client = browser_without_cookies
    alert = add_alert()
    page = client.get(_enter(client, alert))
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    # A site not on the list is not believed as the host: nothing is posted to it.
    assert 'data-alerta-host=""' in page.text


def test_the_organization_list_applies_unless_the_alert_has_its_own(
        browser_without_cookies, full_data, app, monkeypatch):
    monkeypatch.setitem(app.config, "EMBED_ALLOWED_ORIGINS", "https://org.example.net")
    client = browser_without_cookies
    default, own = add_alert(), add_alert(embed_origins=HOST)
    assert "frame-ancestors https://org.example.net;" in client.get(
        _enter(client, default)).headers["Content-Security-Policy"]
    assert f"frame-ancestors {HOST};" in client.get(
        _enter(client, own)).headers["Content-Security-Policy"]


@pytest.mark.parametrize("damage", ["forged", "expired", "other alert"])
def test_a_bad_token_is_refused_and_nothing_is_written(browser_without_cookies, full_data,
                                                       app, monkeypatch, damage):
    client = browser_without_cookies
    alert, other = add_alert(embed_origins=HOST), add_alert(embed_origins=HOST)
    url = _enter(client, other if damage == "other alert" else alert)
    page = client.get(url if damage != "other alert" else url.replace(other.slug, alert.slug))
    form = form_for(page.text, containing="email") if page.status_code == 200 else \
        form_for(client.get(url).text, containing="email")
    action = form["action"].replace(other.slug, alert.slug)
    if damage == "forged":
        token = _token(action)
        action = action.replace(token, token[:-6] + ("AAAAAA" if token[-6:] != "AAAAAA"
                                                     else "BBBBBB"))
    if damage == "expired":
        monkeypatch.setitem(app.config, "EMBED_TOKEN_MAX_AGE", -1)
    before = (_rows(Supporter), _rows(Submission), _rows(EmbedTokenUse))

    response = client.post(action, data={**form["fields"], **ANA})

    assert response.status_code == 400
    assert "nothing was sent" in response.text
    assert (_rows(Supporter), _rows(Submission), _rows(EmbedTokenUse)) == before
    # The refusal shows inside the frame, where the supporter is.
    assert f"frame-ancestors {HOST}" in response.headers["Content-Security-Policy"]


def test_a_nonce_dies_at_the_age_limit_however_often_its_token_was_signed_again(
        browser_without_cookies, full_data, app):
    """A GET signs the token anew with the same nonce; reloading an old page every hour
    must not keep a spent nonce alive past the record of its spending."""
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    with app.test_request_context():
        old = new_token_session(alert.id, HOST, {})
        old.minted_at -= app.config["EMBED_TOKEN_MAX_AGE"] + 5
        token = dump_token(old)  # signed now
    response = client.get(f"/a/{alert.slug}", query_string={"embed": token})
    assert response.status_code == 400 and "open too long" in response.text


def test_a_replayed_token_is_refused_and_the_action_is_recorded_once(
        browser_without_cookies, full_data):
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    started, _ = _post_form(client, _enter(client, alert), ANA)
    call_url = started.headers["Location"]
    reported, form = _post_form(client, call_url, {"outcome": "talked"}, containing="bioguide_id")
    assert reported.status_code == 302
    before = (_rows(Action), _rows(EmbedTokenUse))

    # The same form sent again (a double click, or a captured request replayed).
    again = client.post(form["action"], data={**form["fields"], "outcome": "talked"})

    assert again.status_code == 409
    assert "already sent once; nothing was sent again" in again.text
    assert (_rows(Action), _rows(EmbedTokenUse)) == before
    assert db.session.scalar(select(func.count()).select_from(Action).where(
        Action.kind == "call")) == 1


def test_an_email_form_sent_twice_inside_the_embed_is_recorded_once(
        browser_without_cookies, full_data):
    """The double click on "Send my email": the first sends, the second finds its token
    spent; one email per office."""
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    started, _ = _post_form(client, _enter(client, alert), ANA)
    sent, form = _post_form(client, started.headers["Location"], EMAIL, containing="street")
    assert sent.status_code == 302

    again = client.post(form["action"], data={**form["fields"], **EMAIL})

    assert again.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Action).where(
        Action.kind == "email")) == 3


def test_a_form_refused_for_a_mistake_can_be_sent_again_corrected(browser_without_cookies,
                                                                   full_data):
    """The page that answers a mistake spent the token it came with; its form carries the
    next one."""
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    refused, _ = _post_form(client, _enter(client, alert), {**ANA, "zip_code": "1"})
    assert refused.status_code == 422
    form = form_for(refused.text, containing="email")
    assert form["fields"]["email"] == "ana@example.org"  # the input is kept
    corrected = client.post(form["action"], data={**form["fields"], "zip_code": "82001"})
    assert corrected.status_code == 302
    assert _rows(Submission) == 1


def test_the_rate_limit_holds_inside_the_embed(browser_without_cookies, full_data, app,
                                              monkeypatch):
    monkeypatch.setitem(app.config, "ACTION_LIMIT_PER_IP", 2)
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    statuses = []
    for _ in range(3):
        response, _ = _post_form(client, _enter(client, alert), {**ANA, "zip_code": "1"})
        statuses.append(response.status_code)
    assert statuses == [422, 422, 429]


def test_the_honeypot_holds_inside_the_embed(browser_without_cookies, full_data):
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    page = client.get(_enter(client, alert))
    form = form_for(page.text, containing="email")
    trap = next(name for name in form["fields"] if name not in {
        "csrf_token", "first_name", "last_name", "email", "zip_code", "phone", "opt_in",
        "submission_key"})
    response = client.post(form["action"], data={**form["fields"], **ANA, trap: "bot"})
    assert response.status_code != 302
    assert _rows(Submission) == 0


def test_the_host_hears_of_each_action_once_and_only_its_kind(browser_without_cookies,
                                                             full_data):
    client = browser_without_cookies
    alert = add_alert(embed_origins=HOST)
    started, _ = _post_form(client, _enter(client, alert), ANA)
    first = client.get(started.headers["Location"])
    assert 'data-alerta-events=""' in first.text
    reported, _ = _post_form(client, started.headers["Location"], {"outcome": "talked"},
                             containing="bioguide_id")
    page = client.get(reported.headers["Location"])
    assert 'data-alerta-events="call"' in page.text
    assert "ana@example.org" not in page.text.split("<body", 1)[1].split(">", 1)[0]
    # The next page of the visit does not announce it again.
    thanks = form_for(page.text, containing="street")["action"].replace("/email", "/thanks")
    assert 'data-alerta-events=""' in client.get(thanks).text
