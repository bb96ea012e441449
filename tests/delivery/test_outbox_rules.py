"""The outbox's rules, one test each: what the sweep re-arms, what a failure records, and what
happens when another transaction creates the same delivery first.

Each test names the mutant of campaign_app/delivery/operations.py it was written to kill
(bench/mutation.py runs them)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, update

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.delivery import operations
from campaign_app.delivery.models import Delivery
from campaign_app.delivery.operations import enqueue_delivery
from campaign_app.delivery.tasks import send_delivery
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert
from tests.races import row_committed_first, row_inserted_first, statements_seen


@pytest.fixture
def supporter(db_session):
    supporter = Supporter(email="ana@example.org", first_name="Ana", last_name="Gómez",
                          zip_code="82001", state="WY", district=0, district_source="zip-unique")
    db_session.add(supporter)
    db_session.flush()
    return supporter


@pytest.fixture
def make_delivery(supporter, db_session):
    alert = add_alert()
    counter = iter(range(1, 1000))

    def make(*, status="pending", age=timedelta(0), action=None) -> Delivery:
        delivery = enqueue_delivery(key=f"test:{next(counter)}", kind="confirmation",
                                    alert_id=alert.id, supporter_id=supporter.id,
                                    action_id=action.id if action else None)
        _set(delivery, status=status, updated_at=utcnow() - age)
        return delivery

    return make


def _set(delivery: Delivery, **values) -> None:
    db.session.execute(update(Delivery).where(Delivery.id == delivery.id).values(**values))
    db.session.expire(delivery)


@pytest.fixture
def stale_after(app):
    """The sweep's threshold, as configured in production (the default)."""
    app.config["OUTBOX_STALE_SECONDS"] = 15
    yield 15
    app.config["OUTBOX_STALE_SECONDS"] = 15


def test_a_delivery_sending_for_11_minutes_is_rearmed_one_sending_for_1_minute_is_left(
        make_delivery, stale_after):
    """A worker that died mid-send leaves 'sending' forever: after 10 minutes the sweep puts it
    back in the queue; one a live worker is sending now stays its own (kills deleting the
    re-arming UPDATE, and `now - SENDING_LOST_AFTER` → `now + …`, which would send twice)."""
    lost = make_delivery(status="sending", age=timedelta(minutes=11))
    busy = make_delivery(status="sending", age=timedelta(minutes=1))

    assert operations.stale_delivery_ids() == [lost.id]
    assert (lost.status, busy.status) == ("pending", "sending")


def test_a_pending_delivery_is_swept_only_once_older_than_the_stale_threshold(
        make_delivery, stale_after):
    """Pending for 3 minutes: the broker lost it; pending for 10 seconds: the worker may still
    be about to take it (kills `now - OUTBOX_STALE_SECONDS` → `now + …`)."""
    old = make_delivery(age=timedelta(minutes=3))
    fresh = make_delivery(age=timedelta(seconds=10))
    delivered = make_delivery(status="delivered", age=timedelta(hours=1))

    swept = operations.stale_delivery_ids()
    assert old.id in swept
    assert fresh.id not in swept and delivered.id not in swept


def test_the_sweep_takes_at_most_its_limit_oldest_ids_first(make_delivery, stale_after):
    ids = [make_delivery(age=timedelta(minutes=5)).id for _ in range(3)]
    assert operations.stale_delivery_ids(limit=2) == ids[:2]


def test_a_rearmed_delivery_is_swept_on_the_same_pass(make_delivery, stale_after):
    """The re-armed row keeps its old date, so the same sweep re-queues it rather than the
    next one, a minute later."""
    lost = make_delivery(status="sending", age=timedelta(hours=1))
    assert operations.stale_delivery_ids() == [lost.id]
    assert lost.status == "pending"


def _email_action(delivery) -> Action:
    action = Action(alert_id=delivery.alert_id, supporter_id=delivery.supporter_id,
                    bioguide_id=None, kind="signon", submission_key=f"k-{delivery.id}",
                    status="queued")
    db.session.add(action)
    db.session.flush()
    return action


def test_a_final_failure_marks_the_action_failed_a_retryable_one_leaves_it_queued(
        app, make_delivery):
    """The supporter's email shows 'failed' only when no try is left (kills not marking the
    action, and marking it on a retryable error)."""
    delivery = make_delivery()
    action = _email_action(delivery)
    _set(delivery, action_id=action.id, attempt_count=1)

    assert operations.mark_failed(delivery, "busy", retry=True) is True
    assert (delivery.status, action.status) == ("pending", "queued")

    assert operations.mark_failed(delivery, "refused", retry=False) is False
    assert (delivery.status, action.status) == ("failed", "failed")


def test_the_last_allowed_attempt_fails_for_good(app, make_delivery):
    """attempt_count reaching DELIVERY_MAX_ATTEMPTS ends the retries (kills `<` → `<=`)."""
    delivery = make_delivery()
    _set(delivery, attempt_count=app.config["DELIVERY_MAX_ATTEMPTS"] - 1)
    assert operations.mark_failed(delivery, "busy", retry=True) is True
    _set(delivery, attempt_count=app.config["DELIVERY_MAX_ATTEMPTS"])
    assert operations.mark_failed(delivery, "busy", retry=True) is False
    assert delivery.status == "failed"


def test_the_error_text_is_kept_up_to_2000_characters(make_delivery):
    delivery = make_delivery()
    operations.mark_failed(delivery, "x" * 1999 + "yz" + "w" * 500, retry=True)
    assert delivery.last_error == "x" * 1999 + "y"


def test_success_after_a_retry_records_when_and_clears_the_error(make_delivery):
    delivery = make_delivery()
    action = _email_action(delivery)
    _set(delivery, action_id=action.id)
    operations.mark_failed(delivery, "busy", retry=True)
    before = utcnow()

    operations.mark_delivered(delivery)
    assert delivery.status == "delivered"
    assert delivery.last_error is None
    assert delivery.delivered_at is not None and delivery.delivered_at >= before
    assert action.status == "delivered"


def test_a_claim_counts_the_attempt_and_only_one_worker_gets_it(make_delivery):
    delivery = make_delivery()
    claimed = operations.claim_delivery(delivery.id)
    assert (claimed.status, claimed.attempt_count) == ("sending", 1)
    assert operations.claim_delivery(delivery.id) is None


def test_a_closed_smtp_port_is_a_transient_error_retried_until_the_last_attempt(
        app, make_delivery, monkeypatch):
    """Nothing listens on the mail port: the task classifies the refused connection as
    transient and tries again (in eager mode the retries run at once), so the delivery fails
    only after the last allowed attempt, with the reason; a permanent classification would
    stop at the first."""
    from tests.conftest import _free_port

    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())
    monkeypatch.setitem(app.config, "DELIVERY_MAX_ATTEMPTS", 3)
    delivery = make_delivery()
    send_delivery.apply(args=[delivery.id])
    db.session.expire_all()
    assert (delivery.status, delivery.attempt_count) == ("failed", 3)
    assert "refused" in delivery.last_error.lower()


def test_an_enqueue_racing_another_returns_the_row_the_other_inserted(supporter, db_session):
    """Kills `==` → `!=` in the race branch of enqueue_delivery: the winner's row comes back,
    and there is still one delivery for the key."""
    alert = add_alert()
    other = insert(Delivery).values(
        idempotency_key="race:1", kind="confirmation", status="pending", alert_id=alert.id,
        supporter_id=supporter.id, attempt_count=0, created_at=utcnow(), updated_at=utcnow())
    with row_inserted_first(db.session.connection(), other):
        delivery = enqueue_delivery(key="race:1", kind="confirmation", alert_id=alert.id,
                                    supporter_id=supporter.id)
    assert delivery.id is not None and delivery.idempotency_key == "race:1"
    assert db.session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.idempotency_key == "race:1")) == 1


def test_on_postgresql_an_enqueue_racing_another_session_returns_that_sessions_row(
        app, committed_data):
    """Two sessions: another connection commits the delivery for the key between our lookup
    and our insert. Ours finds the key taken (ON CONFLICT DO NOTHING inserts nothing), and we
    get the other session's row (its id), with one delivery for the key."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serializes writers: the same-connection race above plays it")
        alert = add_alert()
        supporter = Supporter(email="race@example.org", first_name="Ana", last_name="Gómez",
                              zip_code="82001")
        db.session.add(supporter)
        db.session.commit()
        other = insert(Delivery).values(
            idempotency_key="race:2", kind="confirmation", status="pending",
            alert_id=alert.id, supporter_id=supporter.id, attempt_count=0,
            created_at=utcnow(), updated_at=utcnow()).returning(Delivery.id)
        with row_committed_first(db.session.connection(), db.engine, other):
            delivery = enqueue_delivery(key="race:2", kind="confirmation", alert_id=alert.id,
                                        supporter_id=supporter.id)
        db.session.commit()
        theirs = db.session.scalars(select(Delivery.id).where(
            Delivery.idempotency_key == "race:2")).all()
        assert theirs == [delivery.id]


def test_a_claim_dates_the_row_so_the_sweep_leaves_a_fresh_claim_alone(make_delivery,
                                                                      stale_after):
    """A delivery pending for an hour, just claimed, is not 'lost with its worker'."""
    delivery = make_delivery(age=timedelta(hours=1))
    operations.claim_delivery(delivery.id)
    assert operations.stale_delivery_ids() == []
    assert delivery.status == "sending"


def test_a_claim_returns_the_row_as_it_is_now_even_when_the_session_holds_it(make_delivery):
    """The worker's session may already hold the delivery (loaded as pending): the claim
    hands back its fresh state (kills dropping populate_existing)."""
    delivery = make_delivery()
    db.session.refresh(delivery)
    assert delivery.status == "pending"
    claimed = operations.claim_delivery(delivery.id)
    assert (claimed.status, claimed.attempt_count) == ("sending", 1)


def test_an_existing_delivery_is_found_without_trying_to_insert_it_again(make_delivery):
    """A resent form finds its delivery by key in one SELECT; it does not try the insert
    first (an INSERT … ON CONFLICT that inserts nothing, then the same SELECT)."""
    delivery = make_delivery()
    with statements_seen(db.session.connection()) as statements:
        again = enqueue_delivery(key=delivery.idempotency_key, kind="confirmation",
                                 alert_id=delivery.alert_id, supporter_id=delivery.supporter_id)
    assert again.id == delivery.id
    assert "INSERT" not in statements and "SAVEPOINT" not in statements


def test_each_failed_attempt_is_logged_with_its_delivery_attempt_verdict_and_reason(
        make_delivery, caplog):
    delivery = make_delivery()
    _set(delivery, attempt_count=2)
    operations.mark_failed(delivery, "451 try later", retry=True)
    operations.mark_failed(delivery, "550 no such user", retry=False)
    operations.mark_delivered(delivery)
    lines = [r.getMessage() for r in caplog.records if r.name == operations.log.name]
    assert lines == [f"delivery {delivery.id} attempt 2 failed (will retry): 451 try later",
                     f"delivery {delivery.id} attempt 2 failed (final): 550 no such user",
                     f"delivery {delivery.id} delivered"]


def test_a_delivery_waiting_for_its_retry_is_left_to_it(make_delivery, stale_after):
    """Issue 19 item 7: the sweep is quick (15 s), but a scheduled retry keeps its back-off."""
    waiting = make_delivery(age=timedelta(minutes=1))
    operations.schedule_retry(waiting, 120)
    _set(waiting, updated_at=utcnow() - timedelta(minutes=1))
    overdue = make_delivery(age=timedelta(minutes=5))
    _set(overdue, next_attempt_at=utcnow() - timedelta(minutes=1),
         updated_at=utcnow() - timedelta(minutes=5))
    assert operations.stale_delivery_ids() == [overdue.id]


def test_the_sweep_queues_a_delivery_again_only_once_it_is_stale_again(app, make_delivery,
                                                                       stale_after):
    """A backlog the worker is slow on is not queued on every sweep."""
    from campaign_app.delivery.tasks import sweep_outbox

    left = make_delivery(age=timedelta(minutes=2))
    try:
        assert sweep_outbox.run() == 1  # queued to the test broker
        assert sweep_outbox.run() == 0  # fresh again: the first one is on its way
        _set(left, updated_at=utcnow() - timedelta(seconds=16))
        assert sweep_outbox.run() == 1
    finally:
        app.extensions["celery"].control.purge()  # no message left for a later test's worker


def test_an_error_is_scrubbed_of_the_supporter_and_of_what_the_browser_typed(
        make_delivery, supporter, db_session):
    """A refusal may quote the address or a field: the stored error names neither the
    supporter nor what a browser typed for them, which may differ (kills scrubbed_error 3
    and 8, which skipped one of the two)."""
    from campaign_app.supporters.models import Submission

    typed = Submission(alert_id=make_delivery().alert_id, supporter=supporter,
                       email="eve.typed@example.org", first_name="Evelyn", last_name="Typed",
                       zip_code="82001", differing_fields="")
    db_session.add(typed)
    db_session.flush()
    delivery = make_delivery()
    action = _email_action(delivery)
    action.submission_id = typed.id
    _set(delivery, action_id=action.id)
    error = ("550 <ana@example.org> Ana Gómez: no such user; "
             "also eve.typed@example.org, Evelyn Typed")

    stored = operations.scrubbed_error(delivery, error)
    assert "550" in stored and "no such user" in stored
    for personal in ("ana@example.org", "Gómez", "eve.typed@example.org", "Evelyn", "Typed"):
        assert personal not in stored

    alone = make_delivery()  # a confirmation: a supporter, no action
    assert "ana@example.org" not in operations.scrubbed_error(alone, error)


def test_requeueing_dates_only_the_rows_still_pending(make_delivery, stale_after):
    """The sweep's mark says "queued just now" to the next sweep: a row a worker took in the
    meantime keeps its own date, and so does a row the sweep did not queue (kills
    mark_requeued 5, which dated every pending row, and 6, which dated any row listed)."""
    pending = make_delivery(age=timedelta(minutes=5))
    sending = make_delivery(status="sending", age=timedelta(minutes=5))
    other = make_delivery(age=timedelta(minutes=5))  # pending, not in this sweep's list
    rows = [pending.id, sending.id, other.id]
    before = dict(db.session.execute(select(Delivery.id, Delivery.updated_at).where(
        Delivery.id.in_(rows))).all())

    operations.mark_requeued([pending.id, sending.id])
    dated = dict(db.session.execute(select(Delivery.id, Delivery.updated_at).where(
        Delivery.id.in_(rows))).all())
    assert utcnow() - dated[pending.id] < timedelta(seconds=5)
    assert dated[sending.id] == before[sending.id]
    assert dated[other.id] == before[other.id]
    assert operations.stale_delivery_ids() == [other.id]
