"""The personal link's page, rendered once with marks and filled in per supporter
(actions.personal_pages): the same bytes as a page rendered for the supporter, and nothing of
one supporter on another's page.

An app with PAGE_STORE off renders every page: it is what the stored pages must equal."""

import re

import pytest

from campaign_app.alerts.operations import save_translation, update_alert
from campaign_app.alerts.queries import get_alert_by_slug
from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.tokens import make_personal_token
from tests.factories import add_alert

pytestmark = pytest.mark.full_data

APPEAL = ("[[First_Name]], [[Full_Name]] of [[City]], [[State]] [[Zip]]: "
          "**[[Days_Left]]** days to ask for [[Alert_Title]] ([[Action_Link]]).")
#: Values a list imported from elsewhere can hold: markup, quotes, ampersands, accents
#: decomposed (NFD), spaces around.
PEOPLE = [
    {"first_name": "Ana", "last_name": "Gómez", "city": "Cheyenne", "state": "WY",
     "zip_code": "82001", "email": "ana@example.org"},
    {"first_name": "<b>Bo</b> & \"Al\"", "last_name": "O'Brien", "city": "Laramie & Co",
     "state": "WY", "zip_code": "82070", "email": "bo.o'brien@example.org"},
    {"first_name": " Jose\u0301 ", "last_name": "Nun\u0303ez", "city": "Casper",
     "state": "WY", "zip_code": "82601", "email": "jose@example.org"},
]


@pytest.fixture(autouse=True)
def _empty_store(app):
    """Each test counts the pages its app keeps (the app can outlive a test)."""
    app.extensions.pop("personal_pages", None)


_CSRF = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]*(")')


def _without_csrf(page: str) -> str:
    return _CSRF.sub(r"\1…\2", page)


def _people(app, rows) -> list[str]:
    """The supporters, added; their personal links' tokens."""
    with app.app_context():
        supporters = [Supporter(**row) for row in rows]
        db.session.add_all(supporters)
        db.session.commit()
        return [make_personal_token(supporter.id) for supporter in supporters]


def _slug(app, appeal=APPEAL) -> str:
    """An alert in English and Spanish: the language links repeat the page's query."""
    with app.app_context():
        alert = add_alert(appeal=appeal)
        save_translation(alert, "es", {"title": "Derechos humanos primero",
                                       "appeal": "Hola [[First_Name]] de [[City]]."})
        db.session.commit()
        return alert.slug


def test_each_supporter_gets_the_page_a_full_render_gives_them(app, other_app, committed_data,
                                                                full_data):
    slug = _slug(app)
    tokens = _people(app, PEOPLE)
    stored, rendered = app.test_client(), other_app({"PAGE_STORE": False}).test_client()
    for query in ("", "&source=mailing-7", "&lang=es"):
        for token in tokens:
            url = f"/a/{slug}?t={token}{query}"
            page, expected = stored.get(url), rendered.get(url)
            assert page.status_code == expected.status_code == 200
            assert _without_csrf(page.text) == _without_csrf(expected.text), url
            assert page.headers["Cache-Control"] == "private, no-store"
    # What the appeal and the form show, escaped once: the markup is text.
    page = app.test_client().get(f"/a/{slug}?t={tokens[1]}").text  # in English
    assert "&lt;b&gt;Bo&lt;/b&gt; &amp; &#34;Al&#34; O&#39;Brien of Laramie &amp; Co" in page
    assert 'value="bo.o&#39;brien@example.org"' in page
    # The stored pages were used: one per query, filled in for every supporter.
    assert len(app.extensions["personal_pages"].values()) == 3


def test_no_supporter_is_on_another_supporters_page_or_in_the_store(app, committed_data,
                                                                     full_data):
    slug = _slug(app)
    tokens = _people(app, PEOPLE[:2])
    client = app.test_client()
    first = client.get(f"/a/{slug}?t={tokens[0]}").text
    second = client.get(f"/a/{slug}?t={tokens[1]}").text
    assert "Ana" in first and "ana@example.org" in first
    assert "Ana" not in second and "ana@example.org" not in second and "82001" not in second
    assert tokens[0] not in second and tokens[1] in second  # the language links keep the link
    kept = [stored.page for stored in app.extensions["personal_pages"].values()]
    assert kept
    for page in kept:
        for secret in (*tokens, "Ana", "Gómez", "ana@example.org", "O&#39;Brien", "82070"):
            assert secret not in page


def test_an_empty_field_of_the_appeal_gets_its_default_as_in_a_full_render(
        app, other_app, committed_data, full_data):
    slug = _slug(app, appeal="Hello [[First_Name]] from [[City]].")
    tokens = _people(app, [{**PEOPLE[0], "email": "full@example.org"},
                           {**PEOPLE[0], "email": "nocity@example.org", "city": None},
                           {**PEOPLE[0], "email": "blank@example.org", "city": ""}])
    stored, rendered = app.test_client(), other_app({"PAGE_STORE": False}).test_client()
    for token in tokens:
        url = f"/a/{slug}?t={token}"
        assert _without_csrf(stored.get(url).text) == _without_csrf(rendered.get(url).text)
    for token in tokens[1:]:
        assert "Hello Ana from your city." in stored.get(f"/a/{slug}?t={token}").text
    assert "Hello Ana from Cheyenne." in stored.get(f"/a/{slug}?t={tokens[0]}").text


def test_a_stored_personal_page_changes_when_the_alert_is_edited(app, other_app,
                                                                  committed_data, full_data):
    slug = _slug(app)
    tokens = _people(app, PEOPLE[:2])
    reader = other_app({}).test_client()
    assert "Human rights" not in reader.get(f"/a/{slug}?t={tokens[0]}").text
    with app.app_context():
        update_alert(get_alert_by_slug(slug), {"title": "Human rights first"})
        db.session.commit()
    page = reader.get(f"/a/{slug}?t={tokens[1]}").text
    # In the heading, which the page renders itself (the appeal's [[Alert_Title]] is filled
    # per request, so it alone would not show a stale page).
    assert "<h1>Human rights first</h1>" in page and "O&#39;Brien" in page


def test_a_page_that_shows_a_visitors_own_value_outside_the_marks_is_not_kept(
        app, committed_data, full_data):
    """Were a template to show something of the visitor's own outside the marks, the page
    rendered for the stand-in would hold it: such a page is kept for no one. A name that is
    also a word of the page looks the same, and is as safely not kept."""
    slug = _slug(app)
    tokens = _people(app, [{**PEOPLE[0], "email": "c@example.org", "last_name": "Congress"},
                           PEOPLE[1]])
    client = app.test_client()

    def kept() -> int:
        return len(app.extensions["personal_pages"].values())

    assert "Congress" in client.get(f"/a/{slug}?t={tokens[0]}").text
    assert kept() == 0
    client.get(f"/a/{slug}?t={tokens[1]}")
    assert kept() == 1
