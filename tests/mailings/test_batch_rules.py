"""The rules of a mailing batch, one by one, without a worker: which recipients a batch claims,
who is skipped, when a recipient counts as sent (SentMarks), what is given back, and when a
dead worker's claims come back. Each rule kills mutants of campaign_app/mailings/batches.py
(bench/mutation.py mailing-batches); the worker tests show the whole under real processes."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.mailings import batches, operations
from campaign_app.mailings.models import REMINDER, MailingRecipient
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert, add_supporters

NOW = utcnow().replace(microsecond=0)


def _mailing(count=4):
    alert = add_alert()
    add_supporters(count)
    mailing = operations.create_mailing(alert, {"type": "all"})
    db.session.commit()
    return mailing


def _rows(mailing):
    return list(db.session.scalars(
        select(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id)
        .order_by(MailingRecipient.id).execution_options(populate_existing=True)))


def _set(recipient_id, **values):
    db.session.execute(update(MailingRecipient).where(MailingRecipient.id == recipient_id)
                       .values(**values))


# --- claim_batch --------------------------------------------------------------------------

def test_a_claim_takes_the_first_due_pending_rows_of_its_mailing_and_dates_them(db_session):
    """Up to `size` rows, lowest ids first, each now 'sending' under the batch's token, dated
    `now`, its attempt counted; the rest stay pending (kills the limit, order, values and
    attempt_count + 1 mutants)."""
    mailing = _mailing(4)
    first, second, third, fourth = (row.id for row in _rows(mailing))
    _set(first, attempt_count=2)
    ids = batches.claim_batch(mailing.id, 2, now=NOW, token="t" * 32)
    assert ids == [first, second]
    rows = {row.id: row for row in _rows(mailing)}
    for claimed, attempts in ((first, 3), (second, 1)):
        row = rows[claimed]
        assert (row.status, row.claim_token, row.claimed_at, row.attempt_count) == \
            ("sending", "t" * 32, NOW, attempts)
    for left in (third, fourth):
        assert (rows[left].status, rows[left].claim_token, rows[left].attempt_count) == \
            ("pending", None, 0)


def test_a_claim_takes_rows_due_now_and_leaves_rows_due_later(db_session):
    """not_before == now is due, a second later is not (kills <= → < and > on not_before,
    and dropping the 'no not_before' branch)."""
    mailing = _mailing(3)
    due_now, later, unset = (row.id for row in _rows(mailing))
    _set(due_now, not_before=NOW)
    _set(later, not_before=NOW + timedelta(seconds=1))
    assert batches.claim_batch(mailing.id, 10, now=NOW) == [due_now, unset]
    assert batches.claim_batch(mailing.id, 10, now=NOW + timedelta(seconds=1)) == [later]


def test_a_claim_takes_neither_other_mailings_rows_nor_rows_not_pending(db_session):
    mailing, other = _mailing(3), _mailing(1)
    pending, sent, held = (row.id for row in _rows(mailing))
    _set(sent, status="sent")
    _set(held, status="sending", claim_token="o" * 32)
    assert batches.claim_batch(mailing.id, 10, now=NOW) == [pending]
    assert {row.status for row in _rows(other)} == {"pending"}
    assert _rows(mailing)[2].claim_token == "o" * 32


def test_a_claim_without_a_token_makes_its_own_and_dates_itself_now(db_session):
    """Two batches never share a token (kills a constant or missing token), and a claim
    without `now` is dated by the clock (kills `now or utcnow()` mutants)."""
    mailing = _mailing(2)
    before = utcnow()
    batches.claim_batch(mailing.id, 1)
    batches.claim_batch(mailing.id, 1)
    first, second = _rows(mailing)
    assert len(first.claim_token) == 32 and len(second.claim_token) == 32
    assert first.claim_token != second.claim_token
    assert before <= first.claimed_at <= utcnow()


def test_a_row_another_worker_took_between_lookup_and_update_is_not_reclaimed(db_session):
    """The UPDATE claims only rows still pending: another batch that took a row after this
    one's SELECT keeps it (kills dropping `status == PENDING` from the UPDATE)."""
    from sqlalchemy import event

    mailing = _mailing(2)
    taken, free = (row.id for row in _rows(mailing))
    connection = db.session.connection()
    armed = {"on": True}

    def _race(conn, cursor, sql, parameters, context, executemany):
        if armed["on"] and sql.lstrip().upper().startswith("UPDATE"):
            armed["on"] = False
            conn.execute(update(MailingRecipient).where(MailingRecipient.id == taken)
                         .values(status="sending", claim_token="o" * 32))

    event.listen(connection, "before_cursor_execute", _race)
    try:
        batches.claim_batch(mailing.id, 10, now=NOW, token="t" * 32)
    finally:
        event.remove(connection, "before_cursor_execute", _race)
    assert not armed["on"]
    rows = {row.id: row for row in _rows(mailing)}
    assert rows[taken].claim_token == "o" * 32 and rows[taken].attempt_count == 0
    assert rows[free].claim_token == "t" * 32


def test_an_empty_claim_writes_nothing(db_session):
    from tests.races import statements_seen

    mailing = _mailing(1)
    _set(_rows(mailing)[0].id, status="sent")
    with statements_seen(db.session.connection()) as seen:
        assert batches.claim_batch(mailing.id, 10, now=NOW) == []
    assert "UPDATE" not in seen


# --- skip_unmailable ----------------------------------------------------------------------

def test_unsubscribed_and_bounced_recipients_are_skipped_and_counted(db_session):
    mailing = _mailing(4)
    rows = _rows(mailing)
    unsubscribed, bounced, fine, not_in_batch = rows
    db.session.execute(update(Supporter).where(Supporter.id == unsubscribed.supporter_id)
                       .values(is_subscribed=False))
    db.session.execute(update(Supporter).where(Supporter.id.in_(
        [bounced.supporter_id, not_in_batch.supporter_id])).values(is_undeliverable=True))
    batch = [unsubscribed.id, bounced.id, fine.id]
    assert batches.skip_unmailable(mailing, batch) == 2
    assert [row.status for row in _rows(mailing)] == ["skipped", "skipped", "pending",
                                                      "pending"]


def _acted(alert, supporter_id):
    db.session.add(Action(alert_id=alert.id, supporter_id=supporter_id, kind="signon",
                          submission_key=f"acted-{alert.id}-{supporter_id}"))
    db.session.flush()


def test_a_reminder_skips_who_acted_on_its_alert_and_no_one_else(db_session):
    """A reminder also skips whoever can't be mailed at all (kills dropping or inverting the
    'acted since' condition, matching another alert, and the reminder's condition replacing
    the 'mailable' one instead of adding to it)."""
    mailing = _mailing(4)
    acted_here, acted_elsewhere, silent, unsubscribed = _rows(mailing)
    _acted(mailing.alert, acted_here.supporter_id)
    _acted(add_alert(), acted_elsewhere.supporter_id)
    db.session.execute(update(Supporter).where(Supporter.id == unsubscribed.supporter_id)
                       .values(is_subscribed=False))
    mailing.kind = REMINDER
    db.session.flush()
    ids = [row.id for row in (acted_here, acted_elsewhere, silent, unsubscribed)]
    assert batches.skip_unmailable(mailing, ids) == 2
    assert [row.status for row in _rows(mailing)] == ["skipped", "pending", "pending",
                                                      "skipped"]


def test_the_alert_email_goes_to_who_already_acted(db_session):
    """Only reminders leave out those who acted: the alert email itself does not."""
    mailing = _mailing(1)
    [row] = _rows(mailing)
    _acted(mailing.alert, row.supporter_id)
    assert batches.skip_unmailable(mailing, [row.id]) == 0
    assert _rows(mailing)[0].status == "pending"


# --- unmark_sent, mark_failed, release ---------------------------------------------------

def test_unmark_gives_back_only_a_row_this_batch_marked_sent(db_session):
    """The server refused after our commit: the row is pending again, its sent_at gone and
    the error kept to 1,000 characters; a row of another batch, or one not marked sent, is
    left alone, and so is the batch's next recipient, sent fine (kills each condition of
    _held, the recipient's id among them, and each value)."""
    mailing = _mailing(4)
    mine, others, unsent, sibling = (row.id for row in _rows(mailing))
    _set(mine, status="sent", claim_token="t" * 32, sent_at=NOW)
    _set(sibling, status="sent", claim_token="t" * 32, sent_at=NOW)
    _set(others, status="sent", claim_token="o" * 32, sent_at=NOW)
    _set(unsent, status="sending", claim_token="t" * 32)
    for recipient_id in (mine, others, unsent):
        batches.unmark_sent(recipient_id, "t" * 32, "554 " + "x" * 2000)
    rows = {row.id: row for row in _rows(mailing)}
    assert (rows[mine].status, rows[mine].sent_at) == ("pending", None)
    assert rows[mine].last_error == ("554 " + "x" * 2000)[:1000]
    assert (rows[others].status, rows[others].sent_at, rows[others].last_error) == \
        ("sent", NOW, None)
    assert (rows[unsent].status, rows[unsent].last_error) == ("sending", None)
    assert (rows[sibling].status, rows[sibling].sent_at) == ("sent", NOW)


@pytest.mark.parametrize(("attempts", "back_off"), [(0, 60), (1, 120), (5, 1920), (6, 3600)])
def test_a_temporary_refusal_is_retried_after_a_doubling_back_off(db_session, attempts,
                                                                  back_off):
    """60 s × 2^attempts, at most an hour (kills the base, the power, the cap and `or 0`
    turned into `or 1`)."""
    mailing = _mailing(1)
    [row] = _rows(mailing)
    _set(row.id, status="sending", attempt_count=attempts)
    before = utcnow()
    batches.mark_failed(row.id, "451 try later", retry=True)
    [row] = _rows(mailing)
    assert (row.status, row.last_error) == ("pending", "451 try later")
    assert before + timedelta(seconds=back_off) <= row.not_before <= \
        utcnow() + timedelta(seconds=back_off)


def test_the_last_allowed_attempt_fails_for_good(app, db_session):
    """An attempt number equal to DELIVERY_MAX_ATTEMPTS is the last (kills < → <=); one
    below is retried."""
    mailing = _mailing(2)
    last, below = (row.id for row in _rows(mailing))
    top = app.config["DELIVERY_MAX_ATTEMPTS"]
    _set(last, status="sending", attempt_count=top)
    _set(below, status="sending", attempt_count=top - 1)
    batches.mark_failed(last, "451 try later", retry=True)
    batches.mark_failed(below, "451 try later", retry=True)
    rows = {row.id: row for row in _rows(mailing)}
    assert (rows[last].status, rows[last].not_before) == ("failed", None)
    assert rows[below].status == "pending" and rows[below].not_before is not None


def test_a_permanent_refusal_fails_at_once_with_the_error_cut(db_session):
    mailing = _mailing(2)
    refused, other = (row.id for row in _rows(mailing))
    _set(refused, status="sending", attempt_count=1)
    batches.mark_failed(refused, "550 " + "no such user " * 200, retry=False)
    rows = {row.id: row for row in _rows(mailing)}
    assert (rows[refused].status, rows[refused].not_before) == ("failed", None)
    assert rows[refused].last_error == ("550 " + "no such user " * 200)[:1000]
    assert rows[other].status == "pending" and rows[other].last_error is None


def test_release_gives_back_only_this_batchs_claimed_rows_after_the_retry_delay(app,
                                                                               db_session):
    """Kills each condition (ids, 'sending', token), each value, the error's cut and the
    delay's sign."""
    mailing = _mailing(4)
    mine, sent, others, not_listed = (row.id for row in _rows(mailing))
    _set(mine, status="sending", claim_token="t" * 32)
    _set(sent, status="sent", claim_token="t" * 32)
    _set(others, status="sending", claim_token="o" * 32)
    _set(not_listed, status="sending", claim_token="t" * 32)
    before = utcnow()
    batches.release([mine, sent, others], "t" * 32, "connection lost: " + "x" * 2000)
    rows = {row.id: row for row in _rows(mailing)}
    delay = timedelta(seconds=app.config["MAILING_RETRY_SECONDS"])
    assert rows[mine].status == "pending"
    assert rows[mine].last_error == ("connection lost: " + "x" * 2000)[:1000]
    assert before + delay <= rows[mine].not_before <= utcnow() + delay
    assert [rows[i].status for i in (sent, others, not_listed)] == ["sent", "sending",
                                                                    "sending"]
    assert all(rows[i].not_before is None for i in (sent, others, not_listed))


def test_releasing_nothing_writes_nothing(db_session):
    from tests.races import statements_seen

    with statements_seen(db.session.connection()) as seen:
        batches.release([], "t" * 32, "nothing")
    assert seen == []


# --- recover_lost_claims -----------------------------------------------------------------

def test_claims_older_than_the_timeout_come_back_and_younger_ones_stay(app, db_session):
    """A claim exactly MAILING_CLAIM_TIMEOUT old is still its worker's; a second older is
    lost (kills < → <=, `now - timeout` → `now + timeout`, and the status condition)."""
    mailing = _mailing(4)
    lost, at_edge, young, sent = (row.id for row in _rows(mailing))
    timeout = timedelta(seconds=app.config["MAILING_CLAIM_TIMEOUT"])
    _set(lost, status="sending", claim_token="t" * 32,
         claimed_at=NOW - timeout - timedelta(seconds=1))
    _set(at_edge, status="sending", claim_token="t" * 32, claimed_at=NOW - timeout)
    _set(young, status="sending", claim_token="t" * 32, claimed_at=NOW)
    _set(sent, status="sent", claim_token="t" * 32, claimed_at=NOW - 2 * timeout)
    assert batches.recover_lost_claims(now=NOW) == 1
    rows = {row.id: row for row in _rows(mailing)}
    assert (rows[lost].status, rows[lost].claim_token) == ("pending", None)
    assert [(rows[i].status, rows[i].claim_token) for i in (at_edge, young, sent)] == \
        [("sending", "t" * 32), ("sending", "t" * 32), ("sent", "t" * 32)]


def test_recovery_without_a_clock_reads_the_time_now(app, db_session):
    mailing = _mailing(2)
    lost, young = (row.id for row in _rows(mailing))
    timeout = timedelta(seconds=app.config["MAILING_CLAIM_TIMEOUT"])
    _set(lost, status="sending", claimed_at=utcnow() - timeout - timedelta(minutes=1))
    _set(young, status="sending", claimed_at=utcnow())
    assert batches.recover_lost_claims() == 1
    assert [row.status for row in _rows(mailing)] == ["pending", "sending"]


# --- SentMarks: committed data, since on PostgreSQL the marks use a connection of their own --

@pytest.fixture
def batch(app, committed_data):
    """A mailing of three recipients, claimed by batch 't…t', committed."""
    with app.app_context():
        mailing = _mailing(3)
        ids = batches.claim_batch(mailing.id, 3, token="t" * 32)
        db.session.commit()
        yield mailing, ids
        db.session.rollback()


def _committed_status(recipient_id):
    """The row as another connection sees it: only what was committed."""
    with db.engine.connect() as connection:
        return connection.execute(
            select(MailingRecipient.status, MailingRecipient.sent_at,
                   MailingRecipient.last_error).where(MailingRecipient.id == recipient_id)
        ).one()


def test_a_mark_is_committed_at_once_and_only_while_the_batch_holds_the_row(batch):
    """Marked: sent, dated, its last error cleared, committed before the call returns (the
    server's "." comes after it), so a rollback of the worker's session cannot undo it. A row
    another batch took over, or one already sent, is not marked: False tells the caller to
    abandon the message (kills the token and status conditions, rowcount == 1 → != 1, and the
    commit or autocommit left out)."""
    mailing, (mine, taken, already) = batch
    _set(mine, last_error="451 earlier")
    _set(taken, claim_token="o" * 32)
    _set(already, status="sent")
    db.session.commit()
    marks = batches.SentMarks("t" * 32)
    try:
        before = utcnow()
        assert marks(mine) is True
        db.session.rollback()
        status, sent_at, error = _committed_status(mine)
        assert (status, error) == ("sent", None)
        assert before <= sent_at <= utcnow()
        assert marks(taken) is False and marks(already) is False
    finally:
        marks.close()
    assert _committed_status(taken)[:2] == ("sending", None)


def test_on_postgresql_marks_do_not_wait_for_the_disk_and_leave_the_pool_as_found(batch):
    """synchronous_commit is off on the marks' own connection, and reset before the
    connection goes back to the pool, so no other work of the app loses durability; a
    healthy connection goes back open, for the next batch, not thrown away (kills the SET and
    the RESET left out, and SentMarks.close 3: a misspelt RESET, whose error would throw
    the connection away)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite marks in the session's own transaction")
    mailing, (mine, _, _) = batch
    marks = batches.SentMarks("t" * 32)
    own = marks.connection.connection.dbapi_connection
    try:
        assert marks.connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "off"
        assert marks(mine) is True
    finally:
        marks.close()
    assert not own.closed
    pooled = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    try:
        assert {c.exec_driver_sql("SHOW synchronous_commit").scalar() for c in pooled} <= \
            {"on"}
    finally:
        for connection in pooled:
            connection.close()


def test_on_postgresql_a_mark_goes_over_the_marks_own_connection_not_the_session(batch):
    """Each mark is one UPDATE on the marks' own autocommit connection (whose commits do not
    wait for the disk); the worker's session sends nothing and commits nothing (kills
    SentMarks.__call__ 6: the session's branch taken on PostgreSQL, marks that wait for the
    disk and commit the worker's transaction)."""
    from tests.races import statements_seen

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite marks in the session's own transaction")
    mailing, (mine, _, _) = batch
    marks = batches.SentMarks("t" * 32)
    try:
        with statements_seen(db.session.connection()) as on_session, \
                statements_seen(marks.connection) as on_marks:
            assert marks(mine) is True
    finally:
        marks.close()
    assert (on_session, on_marks) == ([], ["UPDATE"])


def test_on_postgresql_closing_marks_whose_connection_died_raises_nothing(batch):
    """The server closed the marks' connection (a restart): close() throws the connection
    away rather than raising or handing it back to the pool."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite marks in the session's own transaction")
    marks = batches.SentMarks("t" * 32)
    pid = marks.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.commit()
    marks.close()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1


def test_on_postgresql_a_locked_recipient_is_skipped_not_waited_for(batch, app):
    """FOR UPDATE SKIP LOCKED: a row another worker's transaction holds is passed over, not
    waited for (kills skip_locked dropped; SQLite has one writer and no row locks)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks")
    mailing, ids = batch
    batches.release(ids, "t" * 32, "again")
    db.session.execute(update(MailingRecipient).where(MailingRecipient.id.in_(ids))
                       .values(not_before=None))
    db.session.commit()
    with db.engine.connect() as other:
        other.execute(select(MailingRecipient.id).where(MailingRecipient.id == ids[0])
                      .with_for_update())
        db.session.execute(text("SET LOCAL lock_timeout = '3s'"))
        assert batches.claim_batch(mailing.id, 10, token="u" * 32) == ids[1:]
        db.session.commit()
        other.rollback()
