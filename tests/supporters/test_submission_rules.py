"""What one submission of an alert's form records, one rule per test: who is subscribed, what
only a new supporter takes, and which earlier submission a browser goes on with. Each
docstring names the mutants of `record_submission` / `find_or_create_supporter` it kills
(`bench/mutation.py supporters`)."""

from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.operations import (
    record_district,
    record_submission,
    update_submission,
)
from tests.factories import add_alert, add_submission, add_supporter
from tests.races import statements_seen

ANA = {"first_name": "Ana", "last_name": "Gómez", "zip_code": "82001", "state": "WY",
       "district": 0, "district_source": "zip-unique"}


def _submit(alert, email="ana@example.org", **given):
    return record_submission(alert.id, email=email, **{**ANA, **given})


def test_a_submission_without_the_opt_in_subscribes_no_one(db_session):
    """Kills record_submission 1 (is_opt_in's default True) and 38 (`is_opt_in or not
    subscribed`: every unsubscribed supporter's submission would subscribe them)."""
    alert = add_alert()
    submission = _submit(alert)
    supporter = submission.supporter
    assert (supporter.is_subscribed, supporter.subscribed_at) == (False, None)
    assert submission.is_opt_in is False


def test_a_submission_is_unproven_unless_said_so(db_session):
    """Kills record_submission 2 (is_proven's default True): a browser that proved nothing
    does not rename the stored supporter; its name is kept with the submission."""
    alert = add_alert()
    add_supporter(email="ana@example.org", **ANA)
    submission = _submit(alert, first_name="Eve")
    assert submission.supporter.first_name == "Ana"
    assert (submission.first_name, submission.is_proven) == ("Eve", False)
    assert submission.differing_fields == "first_name"


def test_a_new_supporter_who_opts_in_is_written_whole_by_its_one_insert(db_session):
    """The new supporter's row is inserted with what only a new supporter takes (the page's
    language, the source) and the opt-in (subscribed, and since when), and no UPDATE follows.
    Kills record_submission 21 (`created_with and {}`), 32 and 37 (created_with not passed on:
    the language is lost), 23 and 25 (subscribed with no date), 24 and 26 (inserted
    unsubscribed, then subscribed by a second statement)."""
    alert = add_alert()
    with statements_seen(db.session.connection()) as statements:
        submission = record_submission(
            alert.id, email="ana@example.org", **ANA, is_opt_in=True,
            created_with={"language": "es", "source_code": "newsletter"})
    supporter = submission.supporter
    assert supporter.is_subscribed is True and supporter.subscribed_at is not None
    assert (supporter.language, supporter.source_code) == ("es", "newsletter")
    assert submission.is_new_supporter is True and submission.is_opt_in is True
    assert "UPDATE" not in statements


def test_a_supporter_who_never_subscribed_is_subscribed_by_a_later_opt_in(db_session):
    """Any browser may subscribe a supporter who never unsubscribed; the date is recorded.
    Kills record_submission 45 (subscribed_at left None)."""
    alert = add_alert()
    add_supporter(email="ana@example.org", is_subscribed=False, **ANA)
    supporter = _submit(alert, is_opt_in=True).supporter
    assert supporter.is_subscribed is True and supporter.subscribed_at is not None
    assert supporter.unsubscribed_at is None


def test_an_unproven_opt_in_leaves_an_unsubscribed_supporter_out_and_notes_it(db_session):
    """Only the person may come back after unsubscribing (a personal link); an unproven
    browser's opt-in is noted as a differing field. Kills record_submission 48 (another
    field name noted)."""
    alert = add_alert()
    supporter = add_supporter(email="ana@example.org", is_subscribed=False, **ANA)
    supporter.unsubscribed_at = supporter.created_at
    db.session.flush()
    submission = _submit(alert, is_opt_in=True)
    assert supporter.is_subscribed is False
    assert submission.differing_fields == "is_subscribed"


def test_a_browser_starts_a_new_submission_on_another_alert(db_session):
    """A browser's submission is per alert: its earlier submission on another alert is left
    as it was, and a new one is started. Kills record_submission 52 (`… or True`: the earlier
    submission taken over, whatever its alert)."""
    first_alert, second_alert = add_alert(), add_alert()
    earlier = _submit(first_alert, source_code="newsletter")
    submission = _submit(second_alert, previous=earlier, first_name="Ana María")
    assert submission.id != earlier.id
    assert (earlier.alert_id, earlier.first_name) == (first_alert.id, "Ana")
    assert (submission.alert_id, submission.first_name) == (second_alert.id, "Ana María")


def test_a_submission_keeps_the_first_source_code_it_came_with(db_session):
    """The source a browser first came with counts: sending the form again through another
    link keeps it. Kills record_submission 79 (no source kept) and 80 (`and`: the first
    source never kept, a later one replacing it)."""
    alert = add_alert()
    first = _submit(alert, source_code="newsletter")
    assert first.source_code == "newsletter"
    again = _submit(alert, previous=first, source_code="facebook")
    assert again.id == first.id and again.source_code == "newsletter"


def test_what_a_browser_created_for_another_supporter_gives_it_no_claim_on_this_one(
        db_session):
    """A browser that created Ana may correct what it gave her; typing Bea's email gives it
    no such right over Bea, even where Bea's stored name is the one it gave Ana. Kills
    find_or_create_supporter 35 (the other supporter's submission replaced by '' rather than
    None) and 34 (kept when it is another supporter's)."""
    alert = add_alert()
    own = _submit(alert)
    assert own.is_new_supporter is True
    bea = add_supporter(email="bea@example.org", **ANA)
    submission = _submit(alert, email="bea@example.org", previous=own, first_name="Beatriz")
    assert db.session.get(Supporter, bea.id).first_name == "Ana"
    assert submission.supporter_id == bea.id and submission.id != own.id
    assert submission.differing_fields == "first_name"


def test_a_later_step_of_a_proven_visit_replaces_what_is_stored(db_session):
    """A personal link's address step updates the stored address. Kills update_submission 4
    (the step treated as unproven: the stored street kept)."""
    alert = add_alert()
    supporter = add_supporter(email="ana@example.org", street="1 Old Rd", **ANA)
    submission = add_submission(alert, supporter)
    update_submission(submission, street="2 New Rd")
    assert (supporter.street, submission.street) == ("2 New Rd", "2 New Rd")
    assert submission.differing_fields == ""


def test_the_browser_that_created_a_supporter_may_correct_what_it_gave(db_session):
    """An unproven browser that added Ana may correct the street it gave her in a later step
    of the same visit. Kills update_submission 5 and 9 (its own submission not passed on:
    the correction refused as if from a stranger)."""
    alert = add_alert()
    submission = _submit(alert)
    update_submission(submission, street="1 Mian St")
    update_submission(submission, street="1 Main St")
    assert submission.supporter.street == "1 Main St"
    assert submission.differing_fields == ""


def test_a_later_step_without_a_value_keeps_what_the_submission_holds(db_session):
    """A step that does not ask for the city leaves the city typed earlier with the
    submission; only the place (district, coordinates) is replaced as a whole. Kills
    update_submission 11 (every blank written over the submission)."""
    alert = add_alert()
    submission = _submit(alert)
    update_submission(submission, street="1 Main St", city="Cheyenne", latitude=41.1,
                      longitude=-104.8)
    update_submission(submission, city=None, latitude=None, longitude=None)
    assert (submission.street, submission.city) == ("1 Main St", "Cheyenne")
    assert (submission.latitude, submission.longitude) == (None, None)


def test_each_differing_field_is_noted_once_across_the_steps_of_a_visit(db_session):
    """A submission that differed in two fields, then in one of them again, notes each once.
    Kills _note_differing 2 and 3 (the noted names split on something else than commas)."""
    alert = add_alert()
    add_supporter(email="ana@example.org", street="1 Main St", city="Laramie", **ANA)
    submission = _submit(alert, first_name="Eve", last_name="Doe")
    assert submission.differing_fields == "first_name,last_name"
    update_submission(submission, street="9 Elm St", city="Casper")
    update_submission(submission, street="9 Elm St")
    assert submission.differing_fields == "first_name,last_name,street,city"


def test_a_differing_submission_and_a_placed_one_are_logged_with_ids_and_what(db_session,
                                                                              caplog):
    """Staff can trace from the log which submission differed from which supporter, in what,
    and where a submission was placed and how. Kills the log calls' mutants of
    _note_differing (11-13, 18, 21) and record_district (20-22, 27)."""
    from campaign_app.congress.index import District
    from campaign_app.supporters import operations

    alert = add_alert()
    supporter = add_supporter(email="ana@example.org", **ANA)
    caplog.set_level("INFO", logger=operations.log.name)
    submission = _submit(alert, first_name="Eve", last_name="Doe")
    record_district(submission, District("WY", 0), "self-selected")
    lines = [r.getMessage() for r in caplog.records if r.name == operations.log.name
             and r.getMessage().startswith("submission")]
    assert lines == [
        f"submission {submission.id} differs from supporter {supporter.id} in first_name, "
        "last_name",
        f"submission {submission.id} placed in WY-AL (self-selected)"]
