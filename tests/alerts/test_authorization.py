"""Only organizers and admins reach the editor; viewers and anonymous users never do."""

import pytest

from tests.factories import add_alert

EDITOR_GETS = ["/staff/alerts/new", "/staff/alerts/{id}/edit", "/staff/alerts/{id}/preview",
               "/staff/alerts/{id}/history"]
EDITOR_POSTS = ["/staff/alerts/new", "/staff/alerts/{id}/edit", "/staff/alerts/{id}/publish",
                "/staff/alerts/{id}/close", "/staff/alerts/{id}/duplicate"]


@pytest.mark.parametrize("url", EDITOR_GETS + EDITOR_POSTS)
def test_anonymous_users_are_sent_to_login(client, url):
    alert = add_alert(status="draft")
    method = client.post if url in EDITOR_POSTS and url not in EDITOR_GETS else client.get
    response = method(url.format(id=alert.id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", EDITOR_GETS)
def test_viewers_cannot_open_the_editor(client, login, url):
    login("viewer")
    alert = add_alert(status="draft")
    assert client.get(url.format(id=alert.id)).status_code == 403


@pytest.mark.parametrize("url", EDITOR_POSTS)
def test_viewers_cannot_publish_or_change(client, login, url):
    from campaign_app.core.db import db

    login("viewer")
    alert = add_alert(status="draft")
    response = client.post(url.format(id=alert.id), data={"title": "x"})
    assert response.status_code == 403
    db.session.refresh(alert)
    assert alert.status == "draft"


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_organizers_and_admins_open_every_editor_page_and_save(client, login, role):
    from campaign_app.core.db import db
    from tests.helpers import submit_form

    login(role)
    alert = add_alert(status="draft", title="Human rights first")
    for url in EDITOR_GETS[1:]:
        page = client.get(url.format(id=alert.id))
        assert page.status_code == 200 and "Human rights first" in page.text, url
    assert client.get(EDITOR_GETS[0]).status_code == 200
    saved = submit_form(client, f"/staff/alerts/{alert.id}/edit",
                        {"title": "Human rights first, again"})
    assert saved.status_code == 302, saved.text
    db.session.refresh(alert)
    assert alert.title == "Human rights first, again"
