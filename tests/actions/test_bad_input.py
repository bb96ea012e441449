"""Bad input on the action form: a readable error, the input kept, nothing written, no 500."""

import html
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

GOOD = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
        "zip_code": "82001"}

CASES = {
    "empty first name": ({"first_name": ""}, "Please enter your first name."),
    "empty everything": ({"first_name": "", "last_name": "", "email": "", "zip_code": ""},
                         "Please enter your ZIP code."),
    "too long name": ({"last_name": "x" * 101}, "under 100 characters"),
    "too long email": ({"email": "a" * 250 + "@example.org"}, "too long"),
    "malformed email": ({"email": "ana@@example"}, "valid email address"),
    "email with header injection": ({"email": "ana@example.org\r\nBcc: x@evil.test"},
                                    "line breaks"),
    "non-US ZIP": ({"zip_code": "SW1A 1AA"}, "5-digit U.S. ZIP code"),
    "ZIP too long": ({"zip_code": "1" * 40}, "5 digits"),
    "unknown ZIP": ({"zip_code": "00000"}, "couldn't find ZIP code 00000"),
    "script in name": ({"first_name": "<script>alert(1)</script>"}, "only letters"),
    "html in last name": ({"last_name": 'Gómez"><img src=x onerror=alert(1)>'}, "only letters"),
    "control characters": ({"first_name": "Ana\x00\x07"}, "control characters"),
    "digits only name": ({"first_name": "12345"}, "with letters"),
    "phone with words": ({"phone": "call me at noon"}, "enter a phone number"),
    "phone too long": ({"phone": "2" * 31}, "under 30 characters"),
    "phone with header injection": ({"phone": "202-555-0143\r\nBcc: x@evil.test"},
                                    "line breaks"),
    "honeypot filled": ({"website": "http://spam.example"}, "leave this field empty"),
}


def _supporters():
    return db.session.scalar(select(func.count()).select_from(Supporter))


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_refused_with_a_readable_message(client, full_data, case):
    changes, message = CASES[case]
    alert = add_alert()
    response = submit_form(client, f"/a/{alert.slug}", {**GOOD, **changes},
                           field="first_name")
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert message.lower() in page.lower()
    assert "Please check the form" in page
    for name, value in {**GOOD, **changes}.items():
        if name != "website" and value and "\x00" not in value:
            assert f'value="{value}"'.lower() in page.lower() or value.strip() in page, name
    assert "<script>alert(1)</script>" not in response.text
    assert "<img src=x" not in response.text
    assert _supporters() == 0


def test_missing_csrf_token_is_refused_with_input_kept(client, full_data):
    alert = add_alert()
    response = submit_form(client, f"/a/{alert.slug}", GOOD, drop=["csrf_token"])
    assert response.status_code == 422
    assert "form expired" in response.text
    assert 'value="ana@example.org"' in response.text
    assert _supporters() == 0


def test_forged_csrf_token_is_refused(client, full_data):
    alert = add_alert()
    response = submit_form(client, f"/a/{alert.slug}", {**GOOD, "csrf_token": "forged"})
    assert response.status_code == 422
    assert _supporters() == 0


def test_oversized_post_gets_a_readable_413(client):
    alert = add_alert()
    response = client.post(f"/a/{alert.slug}", data={"first_name": "x" * (400 * 1024)})
    assert response.status_code == 413
    assert "larger than we accept" in response.text
    assert _supporters() == 0


def test_bad_call_report_is_refused(client, full_data):
    from tests.helpers import form_for

    alert = add_alert()
    call_url = submit_form(client, f"/a/{alert.slug}", GOOD).headers["Location"]
    form = form_for(client.get(call_url).text, containing="submission_key")
    for bad in ({"outcome": "bribed"}, {"outcome": ""}, {"note": "x" * 2001,
                                                          "outcome": "busy"},
                {"submission_key": "<script>", "outcome": "busy"}):
        response = client.post(form["action"], data={**form["fields"], **bad})
        assert response.status_code == 422, bad
    from campaign_app.actions.models import Action
    assert db.session.scalar(select(func.count()).select_from(Action)) == 0


def test_unknown_alert_is_a_404_page(client):
    response = client.get("/a/no-such-alert")
    assert response.status_code == 404
    assert "There is no page at this address" in response.text


def test_a_flood_beyond_the_rate_limit_gets_a_readable_429(app, client):
    alert = add_alert()
    app.config["ACTION_LIMIT_PER_IP"] = 3
    try:
        statuses = [client.post(f"/a/{alert.slug}", data={"first_name": "x"}).status_code
                    for _ in range(5)]
        page = client.post(f"/a/{alert.slug}", data={})
    finally:
        app.config["ACTION_LIMIT_PER_IP"] = 60
    assert statuses == [422, 422, 422, 429, 429]
    assert "Please wait a minute and try again." in page.text
    assert _supporters() == 0


def test_invalid_utf8_is_refused_not_stored(client):
    """Escapes of bytes that are not UTF-8 (a broken client, a fuzzer) stay as written; in a
    name they are a form error, not a 500, and nothing is stored."""
    alert = add_alert()
    form = form_for(client.get(f"/a/{alert.slug}").text, containing="first_name")
    fields = {**form["fields"], **GOOD}
    del fields["first_name"], fields["last_name"]
    body = f"{urlencode(fields)}&first_name=%ED%A0%80&last_name=G%C3%B3mez%FF".encode()
    response = client.post(f"/a/{alert.slug}", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert "only letters" in html.unescape(response.text)
    assert _supporters() == 0


#: U+202A–202E (embeddings, overrides) and U+2066–2069 (isolates).
BIDI_CONTROLS = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("char", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
def test_bidirectional_controls_in_a_name_are_refused(client, full_data, char):
    """Issue 12 item 2: a right-to-left override turned 'Ana' around on the public list of
    signers; names refuse it like any other control character."""
    alert = add_alert()
    response = submit_form(client, f"/a/{alert.slug}",
                           {**GOOD, "first_name": f"{char}anA"}, field="first_name")
    assert response.status_code == 422
    assert "control characters" in html.unescape(response.text)
    assert _supporters() == 0


def test_bidirectional_controls_in_an_organization_contact_are_refused(client):
    """Issue 12 item 2, on the organizations' public sign-on form."""
    alert = add_alert(channels=["call", "signon"])
    response = submit_form(client, f"/a/{alert.slug}/organizations", {
        "organization_name": "Friends of \u202eNevada", "country": "United States",
        "contact_name": "Ana \u2067Gómez", "contact_email": "ana@example.org"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    for name in ("organization_name", "contact_name"):
        assert f'<p class="error" id="{name}-error">Please remove line breaks and control ' \
            "characters." in page, name


def test_a_huge_name_is_quoted_back_only_as_an_excerpt(client, full_data):
    """Issue 12 item 3: a 100,000-character name came back whole in a 103 KB page. The page
    keeps the input for editing, cut a little past the field's limit."""
    from campaign_app.core.forms import EXCERPT_MARGIN

    alert = add_alert()
    small = submit_form(client, f"/a/{alert.slug}", {**GOOD, "first_name": "x" * 101},
                        field="first_name")
    response = submit_form(client, f"/a/{alert.slug}", {**GOOD, "first_name": "x" * 100_000},
                           field="first_name")
    assert response.status_code == 422
    assert "under 100 characters" in response.text
    assert f'value="{"x" * (100 + EXCERPT_MARGIN)}"' in response.text
    assert "x" * (101 + EXCERPT_MARGIN) not in response.text
    # The page is as big as one with a name just over the limit, give or take the excerpt.
    assert len(response.data) < len(small.data) + EXCERPT_MARGIN + 100
    assert _supporters() == 0


def test_a_huge_organization_name_is_quoted_back_only_as_an_excerpt(client):
    """Issue 12 item 3, on the organizations' public sign-on form."""
    alert = add_alert(channels=["call", "signon"])
    response = submit_form(client, f"/a/{alert.slug}/organizations", {
        "organization_name": "Friends " * 12_500, "country": "United States",
        "contact_name": "Ana Gómez", "contact_email": "ana@example.org"})
    assert response.status_code == 422
    assert "under 200 characters" in response.text
    assert len(response.data) < 20_000
