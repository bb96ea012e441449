"""What the action writes store, one rule per test: a call report, a signature on the letter
and the emails to Congress, each with its submission, its source and the page's language, and
the confirmation (or CWC) deliveries they queue — once, however often the form is sent.

Written against the mutants of record_call, record_signature and record_email in
campaign_app/actions/operations.py (`bench/mutation.py actions`); each docstring names the
rule and the mutants it kills, by the change they make."""

import logging

import pytest
from flask_babel import force_locale
from sqlalchemy import func, insert, select

from campaign_app.actions import operations
from campaign_app.actions.emails import suggested_email
from campaign_app.actions.models import Action
from campaign_app.actions.operations import (
    confirmation_key,
    record_call,
    record_email,
    record_signature,
)
from campaign_app.actions.targets import supporter_lookup
from campaign_app.alerts.targets import select_targets
from campaign_app.congress.queries import lookup_zip
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.delivery.models import Delivery
from tests.factories import add_alert, add_submission, add_supporter
from tests.races import row_inserted_first, statements_seen

pytestmark = pytest.mark.full_data

KEY = "k" * 24
HOUSE, SENIOR, JUNIOR = "H001096", "B001261", "L000571"  # Wyoming's delegation


@pytest.fixture
def spanish_page(app, db_session, full_data):
    """A request for a page in Spanish: actions record the page's language, and the email's
    merge values link to the action page (url_for needs a request)."""
    with app.test_request_context(), force_locale("es"):
        yield


def _wyoming(*, district_source=None, **extra):
    return add_supporter(state="WY", district=0, zip_code="82001",
                         district_source=district_source, **extra)


def _lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == operations.log.name]


def _count(model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


# record_call


def test_a_call_report_stores_who_called_whom_from_which_submission_in_which_language(
        spanish_page, caplog):
    """Every column of a new call report comes from the report, the submission and the page
    (kills the mutants that drop or blank alert_id, supporter_id, language, bioguide_id,
    kind, outcome, submission_key, referral_code, source_code or submission_id), and it is
    logged once as reported (kills the log line's mutants)."""
    caplog.set_level(logging.INFO, logger=operations.log.name)
    alert = add_alert()
    supporter = _wyoming()
    submission = add_submission(alert, supporter, source_code="newsletter-dec")
    action, delivery, created = record_call(
        alert, submission, bioguide_id=HOUSE, outcome="voicemail", note="Left a message",
        submission_key=KEY, referral_code="friend01")
    db.session.expire_all()
    assert created is True
    assert (action.alert_id, action.supporter_id, action.submission_id) == (
        alert.id, supporter.id, submission.id)
    assert (action.bioguide_id, action.kind, action.outcome, action.note) == (
        HOUSE, "call", "voicemail", "Left a message")
    assert (action.submission_key, action.referral_code, action.source_code,
            action.language) == (KEY, "friend01", "newsletter-dec", "es")
    assert _lines(caplog) == [f"call reported: alert {alert.id}, supporter {supporter.id}, "
                              "voicemail"]


def test_an_empty_note_is_stored_as_none(spanish_page):
    """A call report without a note stores NULL, not an empty text (kills `note or None` →
    `note and None`)."""
    alert = add_alert()
    submission = add_submission(alert, _wyoming())
    action, _, _ = record_call(alert, submission, bioguide_id=HOUSE, outcome="talked",
                               note="", submission_key=KEY)
    assert action.note is None


def test_each_call_report_queues_the_supporters_one_confirmation(spanish_page):
    """Two reports of one supporter in one alert share one confirmation delivery, keyed by
    alert and supporter (kills the mutants of enqueue_delivery's key, kind, alert_id and
    supporter_id in record_call)."""
    alert = add_alert()
    supporter = _wyoming()
    submission = add_submission(alert, supporter)
    _, first, _ = record_call(alert, submission, bioguide_id=HOUSE, outcome="talked",
                              note=None, submission_key=KEY)
    _, second, created = record_call(alert, submission, bioguide_id=SENIOR, outcome="busy",
                                     note=None, submission_key="c" * 24)
    db.session.expire_all()
    assert created is True and first.id == second.id
    assert (first.idempotency_key, first.kind, first.alert_id, first.supporter_id) == (
        confirmation_key(alert.id, supporter.id), "confirmation", alert.id, supporter.id)
    assert _count(Delivery, alert_id=alert.id) == 1


def test_a_resent_call_report_is_not_logged_again(spanish_page, caplog):
    """The form sent twice: the second finds the first action and logs nothing (kills
    `if created` → `if not created` around the log line)."""
    alert = add_alert()
    submission = add_submission(alert, _wyoming())
    record_call(alert, submission, bioguide_id=HOUSE, outcome="talked", note=None,
                submission_key=KEY)
    caplog.set_level(logging.INFO, logger=operations.log.name)
    caplog.clear()
    _, _, created = record_call(alert, submission, bioguide_id=HOUSE, outcome="talked",
                                note=None, submission_key=KEY)
    assert created is False and _lines(caplog) == []


def test_a_resent_call_report_keeps_the_first_and_raises_no_unique_key_error(spanish_page):
    """The form sent again gets the first action back and stores nothing: its one-statement
    insert (ON CONFLICT DO NOTHING, tried first since a resend is rare) finds the key taken,
    with no savepoint and no unique-key error in the server's log. Kills breaking the
    lookup after the insert (`where(None)`, `action = None`, `created` kept True)."""
    alert = add_alert()
    submission = add_submission(alert, _wyoming())
    first, _, _ = record_call(alert, submission, bioguide_id=HOUSE, outcome="talked",
                              note=None, submission_key=KEY)
    with statements_seen(db.session.connection()) as statements:
        again, _, created = record_call(alert, submission, bioguide_id=HOUSE,
                                        outcome="voicemail", note=None, submission_key=KEY)
    assert again.id == first.id and again.outcome == "talked" and created is False
    assert "SAVEPOINT" not in statements
    assert db.session.scalar(select(func.count()).select_from(Action).where(
        Action.submission_key == KEY)) == 1


# record_signature


def test_a_signature_stores_the_submission_its_source_and_language_and_the_city(
        spanish_page, caplog):
    """A first signature: a signon action with the form's key, referral, the submission's
    source and the page's language; the city given goes with the submission; the browser
    is told it signed; the submission is dated; one confirmation is queued, and the
    signature logged (kills the mutants of the Action's columns, of `if city`, of
    `signed_at or utcnow()`, of the delivery's arguments and of the log line)."""
    caplog.set_level(logging.INFO, logger=operations.log.name)
    alert = add_alert(channels=["signon"])
    supporter = _wyoming()
    submission = add_submission(alert, supporter, source_code="post-1")
    before = utcnow()
    action, delivery, new_here = record_signature(alert, submission, submission_key=KEY,
                                                  city="Laramie", referral_code="friend02")
    db.session.expire_all()
    assert new_here is True
    assert (action.alert_id, action.supporter_id, action.submission_id, action.kind) == (
        alert.id, supporter.id, submission.id, "signon")
    assert (action.submission_key, action.referral_code, action.source_code,
            action.language) == (KEY, "friend02", "post-1", "es")
    assert submission.city == "Laramie" and submission.signed_at >= before
    assert (delivery.idempotency_key, delivery.kind, delivery.alert_id,
            delivery.supporter_id) == (confirmation_key(alert.id, supporter.id),
                                       "confirmation", alert.id, supporter.id)
    assert _lines(caplog) == [f"letter signed: alert {alert.id}, supporter {supporter.id}"]


def test_a_signature_without_a_city_leaves_the_submissions_city_alone(spanish_page):
    """No city on the form: the one the submission has stays (kills `if city` → `if not
    city`, which would write None over it)."""
    alert = add_alert(channels=["signon"])
    submission = add_submission(alert, _wyoming(), city="Cheyenne")
    record_signature(alert, submission, submission_key=KEY, city="")
    assert submission.city == "Cheyenne"


def test_a_second_click_finds_the_first_signature_and_keeps_its_date(spanish_page, caplog):
    """The same browser signs twice: one signature, the first; not new to this (proven)
    browser; the submission keeps the first date; nothing logged again (kills the mutants
    of `created = action is None`, of the loop's `break`, of `new_here` and of
    `signed_at or utcnow()` → `and`)."""
    alert = add_alert(channels=["signon"])
    supporter = _wyoming()
    submission = add_submission(alert, supporter)
    first, _, _ = record_signature(alert, submission, submission_key=KEY)
    signed_at = submission.signed_at
    caplog.set_level(logging.INFO, logger=operations.log.name)
    caplog.clear()
    again, _, new_here = record_signature(alert, submission, submission_key="s" * 24)
    assert again.id == first.id and new_here is False
    assert submission.signed_at == signed_at
    assert _count(Action, alert_id=alert.id, kind="signon") == 1
    assert _lines(caplog) == []


def test_a_second_click_finds_the_signature_without_trying_to_insert_one(spanish_page):
    """A signature already there is found by its supporter, not through an INSERT failing
    on the one-signature index (kills `action = None` before the loop)."""
    alert = add_alert(channels=["signon"])
    submission = add_submission(alert, _wyoming())
    record_signature(alert, submission, submission_key=KEY)
    with statements_seen(db.session.connection()) as statements:
        record_signature(alert, submission, submission_key="s" * 24)
    assert "INSERT" not in statements and "SAVEPOINT" not in statements


def test_a_browser_that_proved_nothing_is_not_told_another_browser_signed(spanish_page):
    """The supporter signed in another browser: an unproven browser giving the same email
    is answered as if it had just signed (it must not learn the other signature exists),
    once; a proven browser is told it had signed (kills the mutants of `created or (not
    is_proven and signed_at is None)`)."""
    alert = add_alert(channels=["signon"])
    supporter = _wyoming()
    record_signature(alert, add_submission(alert, supporter), submission_key=KEY)
    stranger = add_submission(alert, supporter, is_proven=False)
    _, _, new_to_stranger = record_signature(alert, stranger, submission_key="u" * 24)
    _, _, new_again = record_signature(alert, stranger, submission_key="v" * 24)
    owner = add_submission(alert, supporter, is_proven=True)
    _, _, new_to_owner = record_signature(alert, owner, submission_key="w" * 24)
    assert (new_to_stranger, new_again, new_to_owner) == (True, False, False)
    assert _count(Action, alert_id=alert.id, kind="signon") == 1


def test_a_forged_form_reusing_another_actions_key_still_signs_under_our_own_key(
        spanish_page):
    """The form's key already belongs to another action (a forged or replayed form): the
    signature is stored under the key made from alert and supporter, and is new (kills the
    mutants of the second key, of the IntegrityError branch's `created`, and the loop's
    `break` → `continue`/`return`)."""
    alert = add_alert(channels=["signon"])
    supporter = _wyoming()
    submission = add_submission(alert, supporter)
    record_call(alert, submission, bioguide_id=HOUSE, outcome="talked", note=None,
                submission_key=KEY)
    signature, _, new_here = record_signature(alert, submission, submission_key=KEY)
    assert signature.kind == "signon" and new_here is True
    assert signature.submission_key == f"signon:{alert.id}:{supporter.id}"
    assert _count(Action, alert_id=alert.id) == 2


# record_email

OWN_SUBJECT = "A subject of my own"
OWN_BODY = "Dear [[Target_Name]], these are my own words."


def _email(alert, submission, *, body=OWN_BODY, key=KEY, **options):
    targets = select_targets(alert, lookup_zip("82001"), ())
    fields = {"prefix": "Ms.", "street": "1 Main St", "city": "Cheyenne", "phone": None,
              **options}
    return record_email(alert, submission, targets, subject=OWN_SUBJECT, body=body,
                        submission_key=key, **fields)


def test_an_email_to_each_office_stores_its_words_addressed_to_that_member(spanish_page):
    """One action per office with the supporter's subject and body, [[Target_Name]] replaced
    by that member's name in both, the organizer's text kept beside an edited body, the
    supporter's choices, the submission, its source and the page's language (kills the
    mutants of each Action column and of the three replace() calls)."""
    alert = add_alert(is_email_editable=True)
    supporter = _wyoming()
    submission = add_submission(alert, supporter, source_code="post-2")
    subject = f"{OWN_SUBJECT} for [[Target_Name]]"
    targets = select_targets(alert, lookup_zip("82001"), ())
    suggested = suggested_email(alert, submission.profile, supporter_lookup(submission.profile))
    actions, _ = record_email(alert, submission, targets, prefix="Ms.", street="1 Main St",
                              city="Cheyenne", phone=None, subject=subject, body=OWN_BODY,
                              submission_key=KEY, is_response_requested=True,
                              is_newsletter_opt_in=True)
    db.session.expire_all()
    assert sorted(a.bioguide_id for a in actions) == sorted([HOUSE, SENIOR, JUNIOR])
    for action in actions:
        name = action.legislator.titled_name
        assert (action.alert_id, action.supporter_id, action.submission_id, action.kind) == (
            alert.id, supporter.id, submission.id, "email")
        assert (action.submission_key, action.source_code, action.language) == (
            f"{KEY}:{action.bioguide_id}", "post-2", "es")
        assert action.message_subject == f"{OWN_SUBJECT} for {name}"
        assert action.message_body == f"Dear {name}, these are my own words."
        assert action.is_message_edited is True
        assert action.suggested_body == suggested.body.replace("[[Target_Name]]", name)
        assert "[[Target_Name]]" not in action.suggested_body
        assert (action.is_response_requested, action.is_newsletter_opt_in) == (True, True)


def test_the_organizers_text_names_the_supporters_own_members(spanish_page):
    """The suggested email is filled in with the supporter's members, found from their ZIP
    and district, so a body naming [[Rep_Name]] and [[Senator_Names]] reaches each office
    with the names (kills `supporter_lookup(profile)` → None, which leaves them empty)."""
    alert = add_alert(is_email_editable=False,
                      email_body="I live near [[Rep_Name|nobody]] and [[Senator_Names|no one]]. "
                                 "Please sign the letter, [[Target_Name]].")
    actions, _ = _email(alert, add_submission(alert, _wyoming(district_source="zip-unique")))
    assert actions
    for action in actions:
        assert "Harriet M. Hageman" in action.message_body
        assert "John Barrasso" in action.message_body and "nobody" not in action.message_body


def test_the_supporters_choices_default_to_no(spanish_page):
    """Unless asked, the office is not asked for an answer nor for its newsletter (kills the
    mutants of both defaults)."""
    alert = add_alert(is_email_editable=True)
    actions, _ = _email(alert, add_submission(alert, _wyoming()))
    assert {(a.is_response_requested, a.is_newsletter_opt_in) for a in actions} == {
        (False, False)}


def test_the_senders_details_go_with_the_submission_and_blanks_are_none(spanish_page):
    """The email form's address and phone are kept with the submission (and reach the
    supporter by the rule); a blank prefix or phone is None, not '' (kills the mutants of
    update_submission's arguments and of `prefix or None`, `phone or None`)."""
    alert = add_alert(is_email_editable=True)
    submission = add_submission(alert, _wyoming(), prefix="Dr.", phone="307-555-0100")
    _email(alert, submission, prefix="", phone="", street="2020 Carey Ave", city="Laramie")
    assert (submission.street, submission.city) == ("2020 Carey Ave", "Laramie")
    assert (submission.prefix, submission.phone) == ("Dr.", "307-555-0100")
    other = add_submission(alert, _wyoming())
    _email(alert, other, prefix="Mr.", phone="307-555-0199", key="o" * 24)
    assert (other.prefix, other.phone, other.street) == ("Mr.", "307-555-0199", "1 Main St")


def test_the_suggested_text_resent_with_other_line_breaks_is_not_an_edit(spanish_page):
    """The browser sends the organizer's body back with its lines re-wrapped and spaces
    doubled: not an edit, so no suggested_body is kept beside it (kills the mutants of the
    whitespace-insensitive comparison: the joins, the splits and `!=`)."""
    alert = add_alert(is_email_editable=True)
    submission = add_submission(alert, _wyoming())
    suggested = suggested_email(alert, submission.profile, supporter_lookup(submission.profile))
    rewrapped = "  " + "\n".join(suggested.body.split()) + "\n\n"
    actions, _ = _email(alert, submission, body=rewrapped)
    assert actions and all(not a.is_message_edited and a.suggested_body is None
                           for a in actions)
    words = suggested.body.split()
    joined = " ".join(words[:2]) + "".join(words[2:4]) + " " + " ".join(words[4:])
    actions, _ = _email(alert, add_submission(alert, _wyoming()), body=joined, key="j" * 24)
    assert all(a.is_message_edited for a in actions)  # two words run together is an edit


def test_through_cwc_a_delivery_per_office_then_one_confirmation(spanish_page, cwc_server):
    """With CWC on, the senators' offices (on CWC) get a queued action and a congress_email
    delivery keyed by the action; the House office, whose district the supporter picked by
    hand, goes by contact form with no delivery; the supporter's confirmation comes last
    (kills the mutants of channel, status, `if by_cwc`, the CWC delivery's arguments and the
    confirmation's)."""
    alert = add_alert(is_email_editable=True)
    supporter = _wyoming(district_source="self-selected")
    actions, deliveries = _email(alert, add_submission(alert, supporter))
    by_member = {a.bioguide_id: a for a in actions}
    assert {m: (a.channel, a.status) for m, a in by_member.items()} == {
        HOUSE: ("contact_form", "contact_form"), SENIOR: ("cwc", "queued"),
        JUNIOR: ("cwc", "queued")}
    *to_congress, confirmation = deliveries
    assert sorted((d.idempotency_key, d.kind, d.alert_id, d.supporter_id, d.bioguide_id,
                   d.action_id) for d in to_congress) == sorted(
        (f"cwc:{by_member[m].id}", "congress_email", alert.id, supporter.id, m, by_member[m].id)
        for m in (SENIOR, JUNIOR))
    assert (confirmation.idempotency_key, confirmation.kind, confirmation.alert_id,
            confirmation.supporter_id) == (confirmation_key(alert.id, supporter.id),
                                           "confirmation", alert.id, supporter.id)


def test_without_cwc_only_the_confirmation_is_queued(spanish_page, caplog):
    """CWC off: every office by contact form, no delivery to Congress, one confirmation, and
    a log line counting the emails (kills `if actions` → `if not actions` and the log
    line's mutants)."""
    caplog.set_level(logging.INFO, logger=operations.log.name)
    alert = add_alert(is_email_editable=True)
    supporter = _wyoming()
    actions, deliveries = _email(alert, add_submission(alert, supporter))
    assert {(a.channel, a.status) for a in actions} == {("contact_form", "contact_form")}
    assert [(d.kind, d.idempotency_key) for d in deliveries] == [
        ("confirmation", confirmation_key(alert.id, supporter.id))]
    assert _lines(caplog)[-1] == (f"email to 3 of 3 members: alert {alert.id}, "
                                  f"supporter {supporter.id}")


def test_a_resent_email_form_records_and_queues_nothing(spanish_page):
    """Every office already emailed: no action and no delivery, not even a confirmation
    (kills `if actions` → `if not actions`, which would queue one)."""
    alert = add_alert(is_email_editable=True)
    submission = add_submission(alert, _wyoming())
    _email(alert, submission)
    actions, deliveries = _email(alert, submission, key="r" * 24)
    assert (actions, deliveries) == ([], [])


def test_an_office_emailed_by_a_racing_request_is_skipped_and_the_others_are_written(
        spanish_page, cwc_server, caplog):
    """Another request of the supporter emailed the first office between our lookup and our
    insert: that office is skipped (no second action, no CWC delivery for it), the others
    are still written and queued (kills `continue` → `break` in the IntegrityError branch,
    and the mutants of its log line)."""
    caplog.set_level(logging.INFO, logger=operations.log.name)
    alert = add_alert(is_email_editable=True)
    supporter = _wyoming(district_source="zip-unique")
    submission = add_submission(alert, supporter)
    first = select_targets(alert, lookup_zip("82001"), ())[0].bioguide_id
    other = insert(Action).values(alert_id=alert.id, supporter_id=supporter.id,
                                  bioguide_id=first, kind="email", channel="cwc",
                                  status="queued", submission_key="other-tab-key-000000",
                                  created_at=utcnow())
    with row_inserted_first(db.session.connection(), other):
        actions, deliveries = _email(alert, submission)
    assert len(actions) == 2 and first not in {a.bioguide_id for a in actions}
    assert _count(Action, alert_id=alert.id, kind="email") == 3
    assert sorted(d.bioguide_id for d in deliveries if d.kind == "congress_email") == sorted(
        a.bioguide_id for a in actions)
    assert (f"email to {first} already recorded: alert {alert.id}, supporter {supporter.id}"
            in _lines(caplog))
