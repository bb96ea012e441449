"""The action page's rules at the operation level, where the page, the embed and the API all
get them (issue 14 item 1): the organizer's wording when the email is not editable, thank or
urge, and why a ZIP leaves no one to contact."""

import pytest
from sqlalchemy import select

from campaign_app.actions.emails import suggested_email
from campaign_app.actions.models import Action
from campaign_app.actions.operations import record_call, record_email
from campaign_app.actions.targets import call_kind, supporter_lookup, zip_problem
from campaign_app.alerts.targets import select_targets
from campaign_app.congress.queries import lookup_zip
from campaign_app.core.db import db
from tests.factories import add_alert, add_submission, add_supporter


@pytest.fixture
def request_context(app):
    """The merge values link to the action page: url_for needs a request."""
    with app.test_request_context():
        yield


OWN_SUBJECT = "My own subject line, not the organizer's"
OWN_BODY = "Words the supporter typed instead of the organizer's text. " * 3


def _email(alert, *, is_proven=True):
    supporter = add_supporter(state="WY", district=0, zip_code="82001",
                              district_source="zip-unique")
    submission = add_submission(alert, supporter, is_proven=is_proven)
    targets = select_targets(alert, lookup_zip("82001"), ())
    actions, _ = record_email(alert, submission, targets, prefix="Ms.", street="1 Main St",
                              city="Cheyenne", phone=None, subject=OWN_SUBJECT, body=OWN_BODY,
                              submission_key="k" * 24)
    return submission, actions


def test_a_supporters_text_is_ignored_when_the_email_is_not_editable(db_session, full_data,
                                                                     request_context):
    alert = add_alert(is_email_editable=False)
    submission, actions = _email(alert)
    suggested = suggested_email(alert, submission.profile, supporter_lookup(submission.profile))
    assert len(actions) == 3  # the House member and both senators
    for action in actions:
        assert OWN_SUBJECT not in action.message_subject
        assert OWN_BODY.strip() not in action.message_body
        assert action.message_body == suggested.body.replace(
            "[[Target_Name]]", f"{action.legislator.title} {action.legislator.display_name}")
        assert action.is_message_edited is False and action.suggested_body is None


def test_a_supporters_text_is_sent_and_marked_edited_when_the_email_is_editable(
        db_session, full_data, request_context):
    alert = add_alert(is_email_editable=True)
    _, actions = _email(alert)
    assert {action.message_subject for action in actions} == {OWN_SUBJECT}
    assert all(action.is_message_edited and action.suggested_body for action in actions)


def test_a_call_to_a_member_who_signed_is_a_thank_you(db_session, full_data):
    alert = add_alert()
    submission = add_submission(alert, add_supporter(state="WY", district=0, zip_code="82001"))
    record_call(alert, submission, bioguide_id="H001096", outcome="talked", note=None,
                submission_key="t" * 24, signed={"H001096"})
    record_call(alert, submission, bioguide_id="B001261", outcome="talked", note=None,
                submission_key="c" * 24, signed={"H001096"})
    kinds = dict(db.session.execute(select(Action.bioguide_id, Action.kind).where(
        Action.alert_id == alert.id)).all())
    assert kinds == {"H001096": "thank", "B001261": "call"}
    assert (call_kind("X000001", ()), call_kind("X000001", {"X000001"})) == ("call", "thank")


def test_a_zip_not_found_is_a_problem_only_without_a_geocoder(db_session, full_data):
    alert = add_alert()
    unknown = lookup_zip("00000")
    assert "couldn't find ZIP code 00000" in zip_problem(alert, unknown, (), can_geocode=False)
    assert zip_problem(alert, unknown, (), can_geocode=True) is None
    assert zip_problem(alert, lookup_zip("82001"), (), can_geocode=False) is None


def test_a_zip_whose_members_the_alert_does_not_target_leaves_no_one_to_contact(
        db_session, full_data):
    senate_only = add_alert(target_rule="senate")
    assert "delegate and have no U.S. senators" in zip_problem(
        senate_only, lookup_zip("20001"), (), can_geocode=False)
    everyone_signed = add_alert(target_rule="house", skip_signed=True)
    assert zip_problem(everyone_signed, lookup_zip("82001"), {"H001096"}, can_geocode=False) \
        == "This alert has no one to contact for your ZIP code. Thank you for checking!"
