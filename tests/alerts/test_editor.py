"""The alert editor: organizers create, edit, preview, publish, close and duplicate alerts."""

import html

import pytest
from sqlalchemy import select

from campaign_app.alerts.models import Alert, AlertRevision
from campaign_app.core.db import db
from tests.factories import add_alert
from tests.helpers import form_for

REFERENCE = {
    "title": "Put human rights first with Mexico",
    "slug": "",
    "appeal": "[[First_Name|Friend]], can you take five minutes today to contact your member "
              "of the House?",
    "channels": ["call", "email"],
    "target_rule": "house",
    "call_script": "Hi, I'm [[First_Name]] from [[Zip]]. Please ask [[Target_Name]] to sign.",
    "email_subject": "Please sign the letter, [[Target_Name]]",
    "email_body": "Dear [[Target_Name]],\n\nPlease sign.\n\n[[Full_Name]]",
    "email_max_length": "5000",
    "deadline_date": "2099-07-17",
    "deadline_time": "17:00",
    "time_zone": "America/New_York",
    "reminder_offsets": "48, 3",
    "thank_you_text": "Thank you, [[First_Name|friend]]!",
    "share_text": "I called Congress. Will you?",
    "share_url": "https://example.org/mexico",
    "signon_goal": "83",
    "previous_signon_count": "82",
    "alert_email_subject": "[[First_Name|Friend]], five minutes for human rights?",
    "alert_email_body": "[[First_Name|Friend]], please [act now]([[Action_Link]]).\n\n"
                        "[Unsubscribe]([[Unsubscribe_Link]])",
}


def _post_editor(client, url, values):
    page = client.get(url)
    assert page.status_code == 200
    form = form_for(page.text, containing="appeal")
    data = {**form["fields"], **values}
    data.pop("skip_signed", None)
    return client.post(url, data=data)


def _confirm(client, alert, action):
    page = client.get(f"/staff/alerts/{alert.id}/edit")
    token = form_for(page.text, action=f"/staff/alerts/{alert.id}/{action}")["fields"]
    return client.post(f"/staff/alerts/{alert.id}/{action}", data=token)


def test_organizer_creates_the_reference_alert(client, login):
    login("organizer")
    response = _post_editor(client, "/staff/alerts/new", REFERENCE)
    assert response.status_code == 302, html.unescape(response.text)[:3000]
    alert = db.session.scalars(select(Alert)).one()
    assert alert.status == "draft"
    assert alert.slug == "put-human-rights-first-with-mexico"
    assert alert.channels == ["call", "email"]
    assert alert.reminder_offsets == [48, 3]
    assert alert.deadline_at.isoformat() == "2099-07-17T21:00:00+00:00"  # Friday 5pm EDT
    assert alert.previous_signon_count == 82
    [revision] = alert.revisions
    assert revision.event == "created" and revision.user.email == "organizer@example.org"
    # A draft is not public yet.
    assert client.get(f"/a/{alert.slug}").status_code == 404


def test_unknown_merge_field_is_refused_with_its_position_and_input_kept(client, login):
    login("organizer")
    values = {**REFERENCE, "appeal": "Dear [[First_Name]],\n\nplease call [[Rep_Nme]] today."}
    response = _post_editor(client, "/staff/alerts/new", values)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Unknown merge field [[Rep_Nme]] at line 3, column 13" in page
    assert "please call [[Rep_Nme]] today." in page  # the organizer's text is still there
    assert 'value="Put human rights first with Mexico"' in page
    assert db.session.scalars(select(Alert)).first() is None


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "Please give the alert a title."),
    ("title", "x" * 201, "under 200 characters"),
    ("slug", "Not A Slug!", "lower-case letters"),
    ("appeal", "", "Please write the appeal."),
    ("appeal", "x" * 5_001, "keep the appeal to 5,000 characters at most (it has 5,001)"),
    ("channels", [], "Choose at least one way to act."),
    ("reminder_offsets", "48, soon", "is not a whole number"),
    ("reminder_offsets", "0", "between 1 hour and 30 days"),
    ("deadline_time", "", "both the deadline's date and time"),
    ("deadline_date", "2099-13-45", "Not a valid date"),
    ("share_url", "javascript:alert(1)", "full web address"),
    ("signon_goal", "600", "Between 1 and 535"),
    ("email_max_length", "10", "Between 200 and 20,000"),
    ("share_text", "Hi [[First_Name]]", "can't use merge fields"),
    ("call_script", "Call [[Unsubscribe_Link]]", "only in emails"),
    ("email_subject", "Hi\r\nBcc: x@evil.test", "line breaks"),
    ("target_rule", "listed", "Choose at least one member"),
    ("target_rule", "everyone", "Not a valid choice"),
    ("alert_email_body", "[[First_Name", "Unclosed or nested merge field"),
])
def test_bad_editor_input_gets_a_clear_message(client, login, field, value, message):
    login("organizer")
    response = _post_editor(client, "/staff/alerts/new", {**REFERENCE, field: value})
    assert response.status_code == 422
    assert message.lower() in html.unescape(response.text).lower()
    assert db.session.scalars(select(Alert)).first() is None


def test_slug_taken_by_another_alert_is_refused(client, login):
    login("organizer")
    add_alert(slug="taken")
    response = _post_editor(client, "/staff/alerts/new", {**REFERENCE, "slug": "taken"})
    assert response.status_code == 422
    assert "Another alert uses this web address" in response.text


def test_publish_then_the_public_page_shows_it(client, login):
    login("organizer")
    _post_editor(client, "/staff/alerts/new", REFERENCE)
    alert = db.session.scalars(select(Alert)).one()
    response = _confirm(client, alert, "publish")
    assert response.status_code == 302
    db.session.refresh(alert)
    assert alert.status == "live" and alert.published_at is not None
    page = client.get(f"/a/{alert.slug}")
    assert page.status_code == 200
    assert "Friend, can you take five minutes today" in page.text
    assert "Friday, July 17, 5:00 PM EDT" in page.text


def test_publish_is_refused_while_something_is_missing(client, login):
    login("organizer")
    alert = add_alert(status="draft", call_script="", channels=["call"])
    _confirm(client, alert, "publish")
    db.session.refresh(alert)
    assert alert.status == "draft"
    assert "Not published: Calls need a call script." in client.get(
        f"/staff/alerts/{alert.id}/edit").text


def test_publish_without_csrf_changes_nothing(client, login):
    login("organizer")
    alert = add_alert(status="draft")
    client.post(f"/staff/alerts/{alert.id}/publish", data={})
    db.session.refresh(alert)
    assert alert.status == "draft"


def test_editing_a_live_alert_keeps_the_text_supporters_saw(client, login):
    login("organizer")
    alert = add_alert()
    old_appeal = alert.appeal
    page = client.get(f"/staff/alerts/{alert.id}/edit")
    form = form_for(page.text, containing="appeal")
    assert html.unescape(form["fields"]["title"]) == alert.title
    response = client.post(f"/staff/alerts/{alert.id}/edit", data={
        **form["fields"], "appeal": "New appeal, [[First_Name|friend]].",
        "channels": ["call", "email"], "target_rule": "all",
        "time_zone": "America/New_York"})
    assert response.status_code == 302, html.unescape(response.text)[:2000]
    db.session.refresh(alert)
    assert alert.appeal == "New appeal, [[First_Name|friend]]."
    edited, created = alert.revisions
    assert edited.event == "edited" and edited.changed_fields == ["appeal"]
    assert edited.user.email == "organizer@example.org" and edited.status == "live"
    assert created.snapshot["appeal"] == old_appeal
    history = client.get(f"/staff/alerts/{alert.id}/history")
    assert "organizer@example.org" in history.text and "appeal" in history.text
    saved = client.get(f"/staff/alerts/{alert.id}/history/{created.id}")
    assert html.escape(old_appeal.splitlines()[0]) in saved.text


def test_close_stops_new_actions(client, login):
    login("organizer")
    alert = add_alert()
    _confirm(client, alert, "close")
    db.session.refresh(alert)
    assert alert.status == "closed"
    assert "This alert has closed" in client.get(f"/a/{alert.slug}").text


def test_duplicate_makes_a_draft_copy(client, login):
    login("organizer")
    alert = add_alert(slug="letter")
    response = _confirm(client, alert, "duplicate")
    copy = db.session.scalars(select(Alert).where(Alert.slug == "letter-copy")).one()
    assert response.headers["Location"].endswith(f"/staff/alerts/{copy.id}/edit")
    assert copy.status == "draft" and copy.appeal == alert.appeal
    assert copy.title == f"Copy of {alert.title}"
    _confirm(client, alert, "duplicate")
    assert db.session.scalars(select(Alert).where(Alert.slug == "letter-copy-2")).one()


def test_listed_targets_are_chosen_from_the_member_list(client, login, full_data):
    login("organizer")
    values = {**REFERENCE, "target_rule": "listed", "target_ids": ["H001096", "B001261"]}
    response = _post_editor(client, "/staff/alerts/new", values)
    assert response.status_code == 302
    alert = db.session.scalars(select(Alert)).one()
    assert sorted(alert.target_ids) == ["B001261", "H001096"]
    bad = _post_editor(client, "/staff/alerts/new", {**values, "slug": "other",
                                                     "target_ids": ["Z999999"]})
    assert bad.status_code == 422


class TestPreview:
    def test_preview_as_ana_fills_fields_and_highlights_missing(self, client, login, full_data):
        login("organizer")
        alert = add_alert(call_script="Hi [[Target_Name]], I'm [[First_Name]] from "
                                       "[[City|my town]].",
                           alert_email_body="Dear [[First_Name|Friend]], [[Rep_Name]]…")
        page = client.get(f"/staff/alerts/{alert.id}/preview",
                          query_string={"first_name": "Ana", "last_name": "Gómez",
                                        "zip_code": "82001"})
        assert page.status_code == 200
        assert "Hi Rep. Harriet M. Hageman, I'm Ana from" in page.text
        assert '<mark class="missing" title="No value for City">my town</mark>' in page.text
        assert "Dear Ana, Rep. Harriet M. Hageman…" in page.text

    def test_preview_without_a_name_shows_fallbacks_highlighted(self, client, login):
        login("organizer")
        alert = add_alert()
        page = client.get(f"/staff/alerts/{alert.id}/preview",
                          query_string={"first_name": "", "zip_code": ""})
        assert '<mark class="missing" title="No value for First_Name">Friend</mark>' in \
            page.text

    def test_preview_escapes_the_sample_values(self, client, login):
        login("organizer")
        alert = add_alert()
        page = client.get(f"/staff/alerts/{alert.id}/preview",
                          query_string={"first_name": "<script>x</script>"})
        assert "<script>x</script>" not in page.text


def test_revision_history_counts_each_save(db_session):
    from campaign_app.alerts.operations import close_alert, update_alert

    alert = add_alert()
    update_alert(alert, {"title": "New title"})
    update_alert(alert, {"title": "New title"})  # no change, no revision
    close_alert(alert)
    events = db.session.scalars(select(AlertRevision.event).where(
        AlertRevision.alert_id == alert.id).order_by(AlertRevision.id)).all()
    assert events == ["created", "edited", "closed"]
