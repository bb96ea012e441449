"""Staff login, roles and logout."""

import pytest

from tests.factories import add_alert, add_user
from tests.helpers import form_for, submit_form


def test_staff_pages_need_a_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_with_the_right_password_reaches_the_dashboard(client):
    add_user(email="viewer@example.org", role="viewer")
    alert = add_alert()
    response = submit_form(client, "/login?next=/staff/", {
        "email": " Viewer@Example.org ", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/")
    assert alert.title in page.text
    assert client.get(f"/staff/alerts/{alert.slug}").status_code == 200


@pytest.mark.parametrize("password", ["wrong", "", "x" * 300])
def test_wrong_password_is_refused_with_a_message(client, password):
    add_user(email="viewer@example.org")
    response = submit_form(client, "/login", {"email": "viewer@example.org",
                                              "password": password})
    assert response.status_code == 422
    assert client.get("/staff/").status_code == 302


def test_login_never_redirects_to_another_site(client):
    add_user(email="viewer@example.org")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = submit_form(client, f"/login?next={target}", {
            "email": "viewer@example.org", "password": "correct horse battery"})
        assert response.headers["Location"] == "/staff/"
        client.post("/logout", data={"csrf_token": _csrf(client)})


def _csrf(client):
    page = client.get("/staff/")
    return form_for(page.text, containing="csrf_token")["fields"]["csrf_token"]


def test_logout_needs_the_csrf_token(client, login):
    login("viewer")
    client.post("/logout", data={})
    assert client.get("/staff/").status_code == 200
    client.post("/logout", data={"csrf_token": _csrf(client)})
    assert client.get("/staff/").status_code == 302


def test_disabled_user_cannot_log_in(client):
    user = add_user(email="gone@example.org")
    user.is_enabled = False
    response = submit_form(client, "/login", {"email": "gone@example.org",
                                              "password": "correct horse battery"})
    assert response.status_code == 422


def test_users_create_cli_makes_a_user_who_can_log_in(app, db_session, client):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "new@example.org", "--role", "admin", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    again = app.test_cli_runner().invoke(args=[
        "users", "create", "new@example.org", "--password", "other"])
    assert again.exit_code != 0 and "already exists" in again.output
    response = submit_form(client, "/login", {"email": "new@example.org",
                                              "password": "s3cret-pass"})
    assert response.status_code == 302


def test_security_headers_are_set(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
