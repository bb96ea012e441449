"""`insert_unless_taken`: one INSERT … ON CONFLICT DO NOTHING, compiled once per process."""

from sqlalchemy import func, select

from campaign_app.core.db import INSERTED, _InsertUnlessTaken, insert_unless_taken
from campaign_app.supporters.models import Supporter


def _statement(key, **values):
    return _InsertUnlessTaken(Supporter, key).values(**values).returning(Supporter)


def test_its_statement_has_a_cache_key_that_names_the_conflict_column():
    """SQLAlchemy's own ON CONFLICT construct has no cache key: each execution compiled the
    statement again (a third of the form POST's statement CPU in bench/request_cost.py)."""
    ana = _statement(Supporter.email, email="ana@example.org", first_name="Ana")
    ben = _statement(Supporter.email, email="ben@example.org", first_name="Ben")
    other_key = _statement(Supporter.first_name, email="ana@example.org", first_name="Ana")
    assert ana._generate_cache_key() is not None
    # Other values are parameters of the same compiled statement; another key is not.
    assert ana._generate_cache_key() == ben._generate_cache_key()
    assert ana._generate_cache_key() != other_key._generate_cache_key()
    assert "ON CONFLICT (first_name) DO NOTHING" in str(
        other_key.compile(dialect=ana.compile().dialect))


def test_a_taken_key_inserts_nothing_and_keeps_the_first_row(db_session):
    ana = {"email": "ana@example.org", "first_name": "Ana", "zip_code": "82001"}
    first = insert_unless_taken(Supporter, {**ana, "last_name": "First"}, Supporter.email)
    assert first is not None and first in db_session
    assert db_session.info[INSERTED] == [first]
    again = insert_unless_taken(Supporter, {**ana, "last_name": "Second"}, Supporter.email)
    assert again is None
    assert db_session.info[INSERTED] == [first]
    rows = db_session.execute(select(func.count(), func.min(Supporter.last_name)).where(
        Supporter.email == "ana@example.org")).one()
    assert tuple(rows) == (1, "First")
