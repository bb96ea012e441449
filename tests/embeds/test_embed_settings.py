"""The staff page of an alert's embed: the snippets, the allowed sites and the look, each
refused with a readable message when malformed or hostile."""

import html

import pytest

from campaign_app.embeds.origins import parse_origins
from campaign_app.embeds.style import contrast, style_problems, stylesheet
from tests.factories import add_alert
from tests.helpers import form_for

VALUES = {"uses_own_origins": "y", "origins": "https://blog.example.org\nhttps://example.org/",
          "accent": "#8a1c1c", "accent_text": "#ffffff", "font": '"Source Sans 3", Arial'}


def _save(client, alert, values):
    url = f"/staff/alerts/{alert.slug}/embed"
    form = form_for(client.get(url).text, containing="origins")
    return client.post(url, data={**form["fields"], **values})


def test_the_page_gives_both_snippets_and_saves_sites_and_look(login, db_session, app):
    staff = login("organizer")
    alert = add_alert()
    page = html.unescape(staff.get(f"/staff/alerts/{alert.slug}/embed").text)
    base = app.config["PUBLIC_BASE_URL"]
    assert f'<script src="{base}/embed.js" data-alert="{alert.slug}" async></script>' in page
    assert f'<a class="alerta-embed" href="{base}/a/{alert.slug}">' in page
    assert f'<iframe src="{base}/a/{alert.slug}/embed"' in page
    assert "Embed on your site" in staff.get(f"/staff/alerts/{alert.slug}").text

    assert _save(staff, alert, VALUES).status_code == 302
    db_session.refresh(alert)
    assert alert.embed_origins == "https://blog.example.org\nhttps://example.org"
    assert alert.embed_style == {"--alerta-accent": "#8a1c1c",
                                 "--alerta-accent-text": "#ffffff",
                                 "--alerta-font": '"Source Sans 3", Arial'}
    css = staff.get(f"/a/{alert.slug}/embed.css")
    assert css.mimetype == "text/css" and "--alerta-accent: #8a1c1c;" in css.text

    # Back to the organization's list.
    assert _save(staff, alert, {**VALUES, "uses_own_origins": ""}).status_code == 302
    db_session.refresh(alert)
    assert alert.embed_origins is None


@pytest.mark.parametrize(("values", "message"), [
    ({"origins": "https://example.org/page"}, "Not an origin"),
    ({"origins": "javascript:alert(1)"}, "Not an origin"),
    ({"origins": "'self' *"}, "Not an origin"),
    ({"accent": "red;}body{x"}, "A color is written #rgb or #rrggbb"),
    ({"font": "Arial; background:url(x)"}, "Font names only"),
    ({"accent": "#ffffff", "accent_text": "#eeeeee"}, "Too little contrast"),
    ({"origins": "x" * 5000}, "4000"),
])
def test_a_bad_setting_is_refused_with_a_readable_message(login, db_session, values, message):
    staff = login("organizer")
    alert = add_alert()
    response = _save(staff, alert, {**VALUES, **values})
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    db_session.refresh(alert)
    assert alert.embed_origins is None and alert.embed_style == {}


def test_viewers_cannot_change_the_embed(login, db_session):
    viewer = login("viewer")
    alert = add_alert()
    assert viewer.get(f"/staff/alerts/{alert.slug}/embed").status_code == 403


def test_origins_and_style_rules():
    assert parse_origins("HTTPS://Blog.Example.org/, http://127.0.0.2:8080 bad") == (
        ["https://blog.example.org", "http://127.0.0.2:8080"], ["bad"])
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert style_problems({"--alerta-accent": "#12355b"}) == {}
    assert "--alerta-evil" in style_problems({"--alerta-evil": "#000"})
    # A value that is not valid (written to the database by hand) never reaches the CSS.
    assert stylesheet({"--alerta-accent": "red;}*{x", "--alerta-text": "#111"}) == \
        ":root {\n  --alerta-text: #111;\n}\n"
