"""The supporter writes, one rule per test: who may change what, and two first submissions
for one email at once."""

from sqlalchemy import func, insert, select

from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.operations import (
    find_or_create_supporter,
    normalize_email,
    upsert_supporter,
)
from tests.races import row_inserted_first

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
