"""The supporter writes, one rule per test: who may change what, and two first submissions
for one email at once."""

import pytest
from sqlalchemy import func, insert, select

from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.operations import (
    find_or_create_supporter,
    mark_undeliverable,
    normalize_email,
    unsubscribe,
    upsert_supporter,
)
from tests.races import row_committed_first, row_inserted_first, statements_seen

ANA = {"first_name": "Ana", "last_name": "Gómez", "zip_code": "82001", "state": "WY",
       "district": 0, "district_source": "zip-unique"}


def _count(email):
    return db.session.scalar(select(func.count()).select_from(Supporter).where(
        Supporter.email == email))


def test_emails_are_matched_trimmed_and_lower_cased(db_session):
    first = upsert_supporter(email="Ana@Example.org ", **ANA)
    again = upsert_supporter(email=" ana@example.ORG", **ANA)
    assert first.id == again.id and first.email == "ana@example.org"
    assert normalize_email("  A@B.Org ") == "a@b.org"


def test_a_new_supporter_takes_every_field_given(db_session):
    supporter = upsert_supporter(email="ana@example.org", phone="307-555-0100", **ANA)
    assert (supporter.first_name, supporter.last_name, supporter.zip_code, supporter.state,
            supporter.district, supporter.phone) == ("Ana", "Gómez", "82001", "WY", 0,
                                                     "307-555-0100")


def test_an_unproven_submission_fills_only_empty_fields_and_says_what_differed(db_session):
    upsert_supporter(email="ana@example.org", **ANA)
    supporter, created, differing = find_or_create_supporter(
        email="ana@example.org", is_proven=False,
        fields={**ANA, "first_name": "Eve", "phone": "307-555-0199"})
    assert created is False
    assert (supporter.first_name, supporter.phone) == ("Ana", "307-555-0199")
    assert differing == ["first_name"]


def test_a_proven_submission_replaces_what_is_stored(db_session):
    upsert_supporter(email="ana@example.org", **ANA)
    supporter, _, differing = find_or_create_supporter(
        email="ana@example.org", is_proven=True, fields={**ANA, "last_name": "Gómez Ruiz"})
    assert supporter.last_name == "Gómez Ruiz" and differing == []


def test_a_first_submission_racing_another_finds_the_others_row_and_keeps_its_name(
        db_session):
    """Kills the race branch's mutants: another transaction created the supporter between
    our lookup and our insert. We get that row back (not new), one row in all, and as an
    unproven submission we do not rename it."""
    other = insert(Supporter).values(
        email="ana@example.org", first_name="Ana", last_name="Earlier", zip_code="82001",
        is_subscribed=False, is_undeliverable=False, created_at=utcnow(), updated_at=utcnow())
    with row_inserted_first(db.session.connection(), other):
        supporter, created, differing = find_or_create_supporter(
            email="ana@example.org", is_proven=False, fields={**ANA})
    assert created is False
    assert supporter.last_name == "Earlier" and differing == ["last_name"]
    assert _count("ana@example.org") == 1


def test_on_postgresql_a_first_submission_racing_another_session_finds_its_row(
        app, committed_data):
    """Two sessions: another connection commits the same supporter between our lookup and
    our insert. Our insert finds the email taken (ON CONFLICT DO NOTHING inserts nothing),
    and the second lookup sees the other session's row: it comes back, not new, one row in
    all."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serializes writers: the same-connection race above plays it")
        other = insert(Supporter).values(
            email="ana@example.org", first_name="Ana", last_name="Earlier", zip_code="82001",
            is_subscribed=False, is_undeliverable=False, created_at=utcnow(),
            updated_at=utcnow())
        with row_committed_first(db.session.connection(), db.engine, other):
            supporter, created, differing = find_or_create_supporter(
                email="ana@example.org", is_proven=False, fields={**ANA})
        db.session.commit()
        assert created is False
        assert supporter.last_name == "Earlier" and differing == ["last_name"]
        assert _count("ana@example.org") == 1


def test_a_returning_supporter_is_found_without_trying_to_insert(db_session):
    """Kills skipping or breaking the lookup: the race branch would still find the row, but
    through an INSERT that inserts nothing, and a second SELECT, on every submission."""
    upsert_supporter(email="ana@example.org", **ANA)
    with statements_seen(db.session.connection()) as statements:
        _, created, _ = find_or_create_supporter(email="ana@example.org", is_proven=False,
                                                 fields=dict(ANA))
    assert created is False
    assert "INSERT" not in statements and "SAVEPOINT" not in statements


def test_an_unproven_submission_does_not_move_the_supporter_and_says_so(db_session):
    upsert_supporter(email="ana@example.org", **ANA)
    supporter, _, differing = find_or_create_supporter(
        email="ana@example.org", is_proven=False,
        fields={**ANA, "zip_code": "05401", "state": "VT", "district": 0})
    assert (supporter.zip_code, supporter.state) == ("82001", "WY")
    assert differing == ["zip_code"]


def test_an_unproven_submission_with_the_same_zip_does_not_change_a_known_district(
        db_session):
    upsert_supporter(email="ana@example.org", **{**ANA, "zip_code": "90802", "state": "CA",
                                                 "district": 42})
    supporter, _, differing = find_or_create_supporter(
        email="ana@example.org", is_proven=False,
        fields={**ANA, "zip_code": "90802", "state": "CA", "district": 44})
    assert supporter.district == 42 and differing == ["district"]


def test_a_supporter_whose_district_is_unknown_is_placed_by_any_submission_of_the_same_zip(
        db_session):
    upsert_supporter(email="ana@example.org", **{**ANA, "zip_code": "90802", "state": "CA",
                                                 "district": None,
                                                 "district_source": "zip-ambiguous"})
    supporter, _, differing = find_or_create_supporter(
        email="ana@example.org", is_proven=False,
        fields={"district": 42, "state": "CA", "district_source": "self-selected"})
    assert (supporter.district, supporter.district_source) == (42, "self-selected")
    assert differing == []


def test_a_supporter_whose_district_is_unknown_is_not_moved_by_another_zip(db_session):
    """Only a submission of the same ZIP places her; one of another ZIP proves nothing about
    where she lives, and says so. Kills update_profile 42, 46 and 47 (the ZIP looked up under
    another name: every ZIP taken for the same)."""
    upsert_supporter(email="ana@example.org", **{**ANA, "zip_code": "90802", "state": "CA",
                                                 "district": None,
                                                 "district_source": "zip-ambiguous"})
    supporter, _, differing = find_or_create_supporter(
        email="ana@example.org", is_proven=False,
        fields={"zip_code": "82001", "state": "WY", "district": 0,
                "district_source": "zip-unique"})
    assert (supporter.zip_code, supporter.state, supporter.district) == ("90802", "CA", None)
    assert differing == ["zip_code", "district"]


def test_blank_values_neither_erase_nor_count_as_stored(db_session):
    """A blank field keeps what is stored; a stored blank is empty and takes a value."""
    upsert_supporter(email="ana@example.org", **ANA, street="", phone="307-555-0100")
    supporter, _, differing = find_or_create_supporter(
        email="ana@example.org", is_proven=False,
        fields={**ANA, "phone": "", "street": "1 Main St", "first_name": ""})
    assert (supporter.phone, supporter.street, supporter.first_name) == (
        "307-555-0100", "1 Main St", "Ana")
    assert differing == []


def test_each_upsert_is_logged_with_whether_it_was_proven_and_what_differed(db_session,
                                                                           caplog):
    from campaign_app.supporters import operations

    created = upsert_supporter(email="ana@example.org", **ANA)
    upsert_supporter(email="ana@example.org", **{**ANA, "first_name": "Eve"})
    upsert_supporter(email="ana@example.org", **ANA)
    upsert_supporter(email="ana@example.org", is_proven=True, **ANA)
    lines = [r.getMessage() for r in caplog.records if r.name == operations.log.name]
    assert lines == [f"supporter {created.id} created",
                     f"supporter {created.id} upserted (unproven, differing: ['first_name'])",
                     f"supporter {created.id} upserted (unproven, differing: none)",
                     f"supporter {created.id} upserted (proven)"]


def test_unsubscribing_is_done_once_dated_and_logged(db_session, caplog):
    """The first unsubscribe ends the subscription, dates it and says it changed something;
    a second changes nothing and says so. Kills unsubscribe 2 and 12 (the wrong answer) and
    its log call's mutants (7-10)."""
    from campaign_app.supporters import operations

    supporter = upsert_supporter(email="ana@example.org", is_subscribed=True, **ANA)
    caplog.clear()
    assert unsubscribe(supporter) is True
    assert supporter.is_subscribed is False and supporter.unsubscribed_at is not None
    assert unsubscribe(supporter) is False
    lines = [r.getMessage() for r in caplog.records if r.name == operations.log.name]
    assert lines == [f"supporter {supporter.id} unsubscribed"]


def test_a_bounce_marks_the_supporter_of_that_address_undeliverable_once(db_session, caplog):
    """A bounce or complaint names an address as the mail server wrote it: the supporter with
    that address (trimmed, any case) gets no more mail, with the first reason, cut to its
    column; no one else is touched, and an unknown address marks no one. Kills the mutants
    of mark_undeliverable (1-21: it had no test in tests/supporters)."""
    from campaign_app.supporters import operations

    ana = upsert_supporter(email="ana@example.org", **ANA)
    eve = upsert_supporter(email="eve@example.org", **ANA)
    caplog.clear()
    reason = "bounce: 550 " + "x" * 300
    assert mark_undeliverable(" Ana@Example.ORG ", reason) is ana
    assert (ana.is_undeliverable, ana.undeliverable_reason) == (True, reason[:200])
    assert mark_undeliverable("ana@example.org", "complaint") is ana
    assert ana.undeliverable_reason == reason[:200]
    assert eve.is_undeliverable is False and eve.undeliverable_reason is None
    assert mark_undeliverable("nobody@example.org", "bounce") is None
    lines = [r.getMessage() for r in caplog.records if r.name == operations.log.name]
    assert lines == [f"supporter {ana.id} marked undeliverable: {reason}"]
