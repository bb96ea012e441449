"""User management, password change, the login rate limit and the audit log."""

from flask import g
from sqlalchemy import select

from campaign_app.audit.models import AuditEvent
from campaign_app.auth.models import User
from campaign_app.core.db import db
from tests.factories import add_user
from tests.helpers import form_for, submit_form

PASSWORD = "correct horse battery"  # noqa: S105


def _as_other_browser():
    """The test's app context is shared by its requests: forget the last browser's user and
    CSRF token, as a separate request would."""
    for key in ("_login_user", "csrf_token"):
        g.pop(key, None)


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _user(email):
    return db.session.scalars(select(User).where(User.email == email)).one()


def _post_row_form(client, user, action_suffix, values):
    page = client.get("/staff/users/")
    form = form_for(page.text, action=f"/staff/users/{user.id}/{action_suffix}")
    return client.post(form["action"], data={**form["fields"], **values})


def test_admin_creates_a_user_who_can_log_in(client, login):
    login("admin")
    response = submit_form(client, "/staff/users/new", {
        "email": "new@example.org", "name": "Ana Gómez", "role": "organizer",
        "password": "a long enough passphrase"})
    assert response.status_code == 302
    assert "new@example.org" in client.get("/staff/users/").text
    assert _user("new@example.org").role == "organizer"
    assert _events("user.created")[0].detail == {"role": "organizer"}


def test_new_user_form_keeps_input_and_explains_errors(client, login):
    login("admin")
    add_user(email="taken@example.org")
    response = submit_form(client, "/staff/users/new", {
        "email": "taken@example.org", "name": "<script>x</script>", "role": "admin",
        "password": "short"})
    assert response.status_code == 422
    assert "already exists" in response.text or "only letters" in response.text
    assert "12 to 200 characters" in response.text
    assert 'value="taken@example.org"' in response.text
    assert "<script>x" not in response.text
    response = submit_form(client, "/staff/users/new", {
        "email": "x@example.org", "name": "", "role": "emperor",
        "password": "a long enough passphrase"})
    assert response.status_code == 422 and "Not a valid choice" in response.text


def test_admin_changes_a_role_and_it_is_audited(client, login):
    admin_client = login("admin")
    viewer = add_user(email="v@example.org", role="viewer")
    response = _post_row_form(admin_client, viewer, "role", {"role": "organizer"})
    assert response.status_code == 302
    assert viewer.role == "organizer"
    event = _events("user.role_changed")[0]
    assert event.detail == {"from": "viewer", "to": "organizer"}
    assert event.user.email == "admin@example.org"
    assert "v@example.org" in client.get("/staff/audit/").text


def test_the_last_admin_cannot_demote_or_disable_themselves(client, login):
    login("admin")
    admin = _user("admin@example.org")
    _post_row_form(client, admin, "role", {"role": "viewer"})
    assert admin.role == "admin"
    response = _post_row_form(client, admin, "enabled", {"is_enabled": "0"})
    assert admin.is_enabled
    assert "your own account" in client.get(response.headers["Location"]).text


def test_a_disabled_user_is_logged_out_and_cannot_log_in(app, client, login):
    login("admin")
    organizer = add_user(email="o@example.org", role="organizer")
    other = app.test_client()
    _as_other_browser()
    assert submit_form(other, "/login", {"email": "o@example.org",
                                         "password": PASSWORD}).status_code == 302
    assert other.get("/staff/").status_code == 200
    _as_other_browser()
    _post_row_form(client, organizer, "enabled", {"is_enabled": "0"})
    assert organizer.is_enabled is False
    _as_other_browser()
    assert other.get("/staff/").status_code == 302
    assert _events("user.disabled")


def test_password_change_needs_the_current_password(client, login):
    login("viewer")
    response = submit_form(client, "/staff/account/password", {
        "current_password": "wrong one", "new_password": "a brand new passphrase",
        "confirm_password": "a brand new passphrase"})
    assert response.status_code == 422 and "not your current password" in response.text
    response = submit_form(client, "/staff/account/password", {
        "current_password": PASSWORD, "new_password": "a brand new passphrase",
        "confirm_password": "another passphrase!"})
    assert response.status_code == 422 and "differ" in response.text
    response = submit_form(client, "/staff/account/password", {
        "current_password": PASSWORD, "new_password": "a brand new passphrase",
        "confirm_password": "a brand new passphrase"})
    assert response.status_code == 302
    assert _user("viewer@example.org").check_password("a brand new passphrase")
    assert _events("user.password_changed")


def test_login_is_rate_limited_per_account(app, client):
    add_user(email="target@example.org")
    limit = app.config["LOGIN_LIMIT_PER_ACCOUNT"]
    for _ in range(limit):
        response = submit_form(client, "/login", {"email": "target@example.org",
                                                  "password": "guess"})
        assert response.status_code == 422
    # Even the right password is refused while the account is limited.
    response = submit_form(client, "/login", {"email": "TARGET@example.org",
                                              "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text
    assert len(_events("auth.login_failed")) == limit


def test_login_is_rate_limited_per_address(app, client):
    add_user(email="real@example.org")
    app.config["LOGIN_LIMIT_PER_IP"], saved = 3, app.config["LOGIN_LIMIT_PER_IP"]
    try:
        for number in range(3):
            submit_form(client, "/login", {"email": f"nobody{number}@example.org",
                                           "password": "guess"})
        response = submit_form(client, "/login", {"email": "real@example.org",
                                                  "password": PASSWORD})
        assert response.status_code == 429
        elsewhere = app.test_client()
        _as_other_browser()
        response = elsewhere.get("/login")
        form = form_for(response.text, containing="email")
        response = elsewhere.post("/login", data={**form["fields"], "email": "real@example.org",
                                                  "password": PASSWORD},
                                  environ_base={"REMOTE_ADDR": "10.9.9.9"})
        assert response.status_code == 302
    finally:
        app.config["LOGIN_LIMIT_PER_IP"] = saved


def test_session_cookie_flags(app, client):
    add_user(email="c@example.org")
    response = submit_form(client, "/login", {"email": "c@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_HTTPONLY"]
