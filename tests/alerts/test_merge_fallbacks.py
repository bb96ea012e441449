"""Merge fields on public pages (issue 12, item 4): the organization's default per field, the
preview as an anonymous visitor, and the publish warning for fields without a fallback."""

import email
import html
from email.policy import default as default_policy

from sqlalchemy import select

from campaign_app.alerts.operations import set_merge_defaults
from campaign_app.audit.models import AuditEvent
from campaign_app.core.db import db
from campaign_app.mailings import batches
from campaign_app.mailings import operations as mailing_operations
from campaign_app.mailings.messages import MailingRenderer
from campaign_app.mailings.queries import claimed_recipients
from tests.factories import add_alert, add_supporter
from tests.helpers import form_for

#: The reference scenario's appeal (DESIGN.md §1), typed verbatim: no fallback.
SEED_APPEAL = ("[[First_Name]], can you take five minutes today to contact your member of the "
               "House?")


def _confirm(client, alert, action):
    page = client.get(f"/staff/alerts/{alert.id}/edit")
    token = form_for(page.text, action=f"/staff/alerts/{alert.id}/{action}")["fields"]
    return client.post(f"/staff/alerts/{alert.id}/{action}", data=token)


def _flashes(client, alert) -> str:
    return html.unescape(client.get(f"/staff/alerts/{alert.id}/edit").text)


def test_seed_appeal_reads_friend_to_an_anonymous_visitor(client):
    """Item 4: without a personal link, the seed appeal began ", can you take five minutes"."""
    alert = add_alert(appeal=SEED_APPEAL)
    page = html.unescape(client.get(f"/a/{alert.slug}").text)
    assert "Friend, can you take five minutes today" in page
    assert ", can you take five minutes" not in page.replace("Friend, can you", "")


def test_the_organizations_default_is_used_and_the_texts_own_fallback_wins(client):
    """Item 4: the default is the organization's (set once); [[Field|fallback]] still wins."""
    set_merge_defaults({"first_name": "Neighbor"})
    db.session.commit()
    alert = add_alert(appeal=SEED_APPEAL + "\n\nThank you, [[First_Name|friend of Mexico]].")
    page = html.unescape(client.get(f"/a/{alert.slug}").text)
    assert "Neighbor, can you take five minutes today" in page
    assert "Thank you, friend of Mexico." in page


def test_the_mailing_greets_ana_by_name_and_others_with_the_default(db_session):
    """Item 4: the email reads "Ana, …"; a supporter without a first name reads the default,
    through the same mechanism as the pages."""
    alert = add_alert(alert_email_subject="[[First_Name]], five minutes?",
                      alert_email_body=SEED_APPEAL + "\n\n[Act]([[Action_Link]])")
    add_supporter(first_name="Ana", email="ana@example.org")
    add_supporter(first_name="", email="nameless@example.org")
    mailing = mailing_operations.create_mailing(alert, {"type": "all"})
    ids = batches.claim_batch(mailing.id, 10)
    renderer = MailingRenderer(mailing, alert)
    messages = {}
    for person in claimed_recipients(ids):
        message = email.message_from_bytes(renderer.render(person).data, policy=default_policy)
        messages[person.email] = message
    ana, nameless = messages["ana@example.org"], messages["nameless@example.org"]
    assert ana["Subject"] == "Ana, five minutes?"
    assert "Ana, can you take five minutes today" in ana.get_body(("plain",)).get_content()
    assert "Ana, can you take five minutes today" in ana.get_body(("html",)).get_content()
    assert nameless["Subject"] == "Friend, five minutes?"
    assert "Friend, can you take five minutes today" in \
        nameless.get_body(("plain",)).get_content()


def test_publish_lists_the_field_without_a_fallback_with_line_and_column(client, login):
    """Item 4: publishing said nothing about [[First_Name]] without a fallback."""
    login("organizer")
    alert = add_alert(status="draft", appeal="Hello!\n\nDear " + SEED_APPEAL)
    response = _confirm(client, alert, "publish")
    assert response.status_code == 302
    db.session.refresh(alert)
    assert alert.status == "live"  # a warning, not a refusal
    page = _flashes(client, alert)
    assert "Appeal, line 3, column 6: [[First_Name]] has no fallback: visitors we don't know " \
           "yet will read “Friend”, the organization's default for First_Name." in page


def test_publish_warns_that_a_field_without_any_fallback_reads_as_nothing(client, login):
    """Item 4: with the organization's default cleared, the field shows nothing: say so."""
    login("organizer")
    set_merge_defaults({"first_name": ""})
    db.session.commit()
    alert = add_alert(status="draft", appeal=SEED_APPEAL + " Call [[Rep_Name|your rep]].")
    _confirm(client, alert, "publish")
    page = _flashes(client, alert)
    assert "Appeal, line 1, column 1: [[First_Name]] has no fallback, and the organization " \
           "has no default for First_Name: visitors we don't know yet will read nothing there." \
           in page
    assert "[[Rep_Name|your rep]] has no fallback" not in page  # it has its own
    assert html.unescape(client.get(f"/a/{alert.slug}").text).count(
        ", can you take five minutes today") == 1


def test_saving_warns_too_and_still_saves(client, login):
    """Item 4: the editor's save warned about nothing."""
    login("organizer")
    alert = add_alert()
    page = client.get(f"/staff/alerts/{alert.id}/edit")
    fields = form_for(page.text, containing="appeal")["fields"]
    fields.pop("skip_signed", None)
    response = client.post(f"/staff/alerts/{alert.id}/edit",
                           data={**fields, "appeal": SEED_APPEAL, "channels": ["call", "email"],
                                 "target_rule": "all"})
    assert response.status_code == 302
    db.session.refresh(alert)
    assert alert.appeal == SEED_APPEAL
    assert "Appeal, line 1, column 1: [[First_Name]] has no fallback" in _flashes(client, alert)


def test_fields_every_visitor_has_are_not_listed(client, login):
    login("organizer")
    alert = add_alert(status="draft", appeal="[[Org_Name]] asks: sign by [[Deadline]].")
    _confirm(client, alert, "publish")
    assert "has no fallback" not in _flashes(client, alert)


class TestPreview:
    def test_as_an_anonymous_visitor_shows_what_the_public_page_shows(self, client, login):
        """Item 4: the preview showed the raw [[First_Name]]."""
        login("organizer")
        alert = add_alert(appeal=SEED_APPEAL + " [[City]] [[Last_Name]]")
        page = client.get(f"/staff/alerts/{alert.id}/preview",
                          query_string={"visitor": "anonymous"})
        assert page.status_code == 200
        assert '<mark class="missing" title="No value for First_Name">Friend</mark>, can you ' \
               'take five minutes today' in page.text
        assert '<mark class="missing" title="No value for City">your city</mark>' in page.text
        # Last_Name's default is empty: marked, but nothing a visitor doesn't see.
        assert '<mark class="missing empty" title="No value for Last_Name, and no fallback: ' \
               'visitors read nothing here"></mark>' in page.text
        assert "[[First_Name]]" not in page.text.split("<main", 1)[1]
        public = html.unescape(client.get(f"/a/{alert.slug}").text)
        assert "Friend, can you take five minutes today to contact your member of the House? " \
               "your city" in public

    def test_as_a_sample_supporter_greets_them_by_name(self, client, login):
        login("organizer")
        alert = add_alert(appeal=SEED_APPEAL)
        page = client.get(f"/staff/alerts/{alert.id}/preview",
                          query_string={"first_name": "Ana", "zip_code": ""})
        assert "Ana, can you take five minutes today" in page.text
        assert 'aria-current="page">As a sample supporter' in page.text
        tabs = client.get(f"/staff/alerts/{alert.id}/preview",
                          query_string={"visitor": "anonymous"}).text
        assert 'aria-current="page">As an anonymous visitor' in tabs


class TestDefaultsPage:
    def test_organizer_sets_a_default_once_for_every_alert(self, client, login):
        """Item 4: the organization sets each field's default once, on a staff page."""
        login("organizer")
        first = add_alert(appeal=SEED_APPEAL)
        second = add_alert(appeal="[[First_Name]], the letter needs you.")
        page = client.get("/staff/alerts/merge-fields")
        assert page.status_code == 200
        fields = form_for(page.text, containing="en_first_name")["fields"]
        assert fields["en_first_name"] == "Friend"
        response = client.post("/staff/alerts/merge-fields",
                               data={**fields, "en_first_name": "Amiga"})
        assert response.status_code == 302
        assert "Amiga, can you take five minutes" in client.get(f"/a/{first.slug}").text
        assert "Amiga, the letter needs you." in client.get(f"/a/{second.slug}").text
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "merge_defaults.changed")).one()
        assert event.detail == {"first_name": "Amiga"}

    def test_staff_find_the_page_from_the_editor_and_the_menu(self, client, login):
        login("organizer")
        alert = add_alert()
        assert 'href="/staff/alerts/merge-fields"' in client.get(
            f"/staff/alerts/{alert.id}/edit").text

    def test_bad_defaults_are_refused_with_the_input_kept(self, client, login):
        login("organizer")
        page = client.get("/staff/alerts/merge-fields")
        fields = form_for(page.text, containing="en_first_name")["fields"]
        response = client.post("/staff/alerts/merge-fields",
                               data={**fields, "en_first_name": "[[Last_Name]]",
                                     "es_city": "x" * 101, "es_state": "a\x00b"})
        assert response.status_code == 422
        text = html.unescape(response.text)
        assert "Please leave out square brackets." in text
        assert "Please keep a default under 100 characters." in text
        assert "Please remove line breaks and control characters." in text
        assert 'value="[[Last_Name]]"' in text

    def test_viewers_cannot_change_defaults(self, client, login):
        login("viewer")
        assert client.get("/staff/alerts/merge-fields").status_code == 403
        assert client.post("/staff/alerts/merge-fields",
                           data={"en_first_name": "x"}).status_code == 403
