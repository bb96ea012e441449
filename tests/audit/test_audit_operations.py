"""Fast unit tests of the audit log's operations and reads: who acted, from where, what the
event holds, and the audited download's order (the event is committed before the body)."""

from flask_login import login_user
from sqlalchemy import func, select

from campaign_app.audit.downloads import audited_file
from campaign_app.audit.models import AuditEvent
from campaign_app.audit.operations import record_event
from campaign_app.audit.queries import recent_events
from campaign_app.core.db import db
from tests.factories import add_user


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_an_event_outside_a_request_has_no_user_and_no_address(db_session):
    event = record_event("data.synced", "congress", {"members": 537})
    assert (event.id is not None, event.user_id, event.ip) == (True, None, None)
    assert event.detail == {"members": 537}


def test_an_event_in_a_request_names_the_logged_in_user_and_the_address(app, db_session):
    user = add_user(email="auditor@example.org", role="admin")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        login_user(user)
        event = record_event("user.role_changed", "user 1")
    assert (event.user_id, event.ip) == (user.id, "203.0.113.7")


def test_a_user_given_wins_over_the_logged_in_one(app, db_session):
    staff = add_user(email="staff@example.org", role="organizer")
    other = add_user(email="other@example.org", role="viewer")
    with app.test_request_context():
        login_user(staff)
        event = record_event("login.failed", "other@example.org", user=other)
    assert event.user_id == other.id


def test_a_long_target_is_cut_to_the_column_and_no_detail_is_an_empty_dict(db_session):
    event = record_event("export.actions", "x" * 500)
    assert len(event.target) == 300 and event.detail == {}


def test_recent_events_are_newest_first_filtered_by_prefix_and_paged(db_session):
    ids = [record_event(action, "alert a").id
           for action in ("export.actions", "signon.recorded", "export.supporters",
                          "export_like.other")]
    assert [e.id for e in recent_events()][:4] == ids[::-1]
    # The prefix is literal: the underscore of 'export_' matches nothing but itself.
    assert [e.action for e in recent_events(action_prefix="export.")][:2] == [
        "export.supporters", "export.actions"]
    assert [e.id for e in recent_events(before_id=ids[2], limit=2)] == [ids[1], ids[0]]


def test_an_audited_download_commits_its_event_before_the_body_is_built(app, db_session):
    seen = []

    def build():
        # The event is there already, committed: rolling back keeps it.
        db.session.rollback()
        seen.append(_count())
        return "body"

    before = _count()
    with app.test_request_context():
        response = audited_file("export.test", "alert a", {"rows": 1}, build=build,
                                filename="a.txt", mimetype="text/plain")
    assert seen == [before + 1]
    assert response.headers["Content-Disposition"] == 'attachment; filename="a.txt"'
    assert response.headers["Cache-Control"] == "no-store"
