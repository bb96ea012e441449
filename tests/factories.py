"""Test rows, written through `db.session`: alerts and staff users as the app makes them,
and supporters, their actions and deliveries straight to the database (the action page has
its own tests). The one place tests build data; a test that calls these asks for `db_session`
(or `client`) so that its rows are rolled back."""

import itertools
from datetime import datetime

from sqlalchemy import insert

from campaign_app.actions.models import Action
from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.auth.operations import create_user
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.delivery.models import Delivery
from campaign_app.supporters.models import Submission, Supporter

_numbers = itertools.count(1)


def add_alert(**overrides):
    """The demo alert with `overrides`. Committed (within the test's transaction, rolled back
    later): as in life, the alert exists before any request."""
    data = demo_alert_data()
    data["slug"] = f"test-alert-{next(_numbers)}"
    data.update(overrides)
    alert = create_alert(data)
    db.session.commit()
    return alert


def add_user(email="staff@example.org", role="viewer", password="correct horse battery"):  # noqa: S107
    """A staff user, committed like `add_alert`."""
    user = create_user(email, password, role)
    db.session.commit()
    return user


def add_supporters(count, *, state="WY", district=0, zip_code="82001", subscribed=True,
                   prefix="person", **extra) -> list[str]:
    """Many supporters in one INSERT, committed like `add_alert`:
    add_supporters(1000, state="WY", subscribed=True). Returns their emails."""
    now = utcnow()
    rows = []
    for _ in range(count):
        n = next(_numbers)
        rows.append({"email": f"{prefix}{n}@example.org", "first_name": f"First{n}",
                     "last_name": f"Last{n}", "zip_code": zip_code, "state": state,
                     "district": district, "district_source": "zip-unique",
                     "is_subscribed": subscribed, "is_undeliverable": False,
                     "created_at": now, "updated_at": now, **extra})
    db.session.execute(insert(Supporter), rows)
    db.session.commit()
    return [r["email"] for r in rows]


def add_supporter(*, state="NY", district=12, zip_code="10001", is_subscribed=True,
                  first_name="Ana", last_name="Gómez", email=None, **extra) -> Supporter:
    number = next(_numbers)
    supporter = Supporter(email=email or f"supporter{number}@example.org", first_name=first_name,
                          last_name=last_name, zip_code=zip_code, state=state,
                          district=district, is_subscribed=is_subscribed, **extra)
    db.session.add(supporter)
    db.session.flush()
    return supporter


def add_action(alert, supporter, bioguide_id, *, kind="call", outcome="talked",
               created_at: datetime | None = None, status=None, referral_code=None) -> Action:
    action = Action(alert_id=alert.id, supporter_id=supporter.id, bioguide_id=bioguide_id,
                    kind=kind, outcome=outcome if kind == "call" else None, status=status,
                    submission_key=f"test-{next(_numbers)}-key-0000",
                    referral_code=referral_code, created_at=created_at or utcnow())
    db.session.add(action)
    db.session.flush()
    return action


def add_delivery(alert, supporter, *, status="delivered", last_error=None,
                 kind="confirmation") -> Delivery:
    delivery = Delivery(idempotency_key=f"test:{next(_numbers)}", kind=kind, status=status,
                        alert_id=alert.id, supporter_id=supporter.id, last_error=last_error)
    db.session.add(delivery)
    db.session.flush()
    return delivery


def add_submission(alert, supporter, *, is_proven=True, **typed) -> Submission:
    """What a browser submitted for a supporter: by default a proven one (a personal link),
    which sees and updates the stored supporter."""
    values = {"email": supporter.email, "first_name": supporter.first_name,
              "last_name": supporter.last_name, "zip_code": supporter.zip_code,
              "state": supporter.state, "district": supporter.district,
              "district_source": supporter.district_source, **typed}
    submission = Submission(alert_id=alert.id, supporter=supporter, is_proven=is_proven,
                            differing_fields="", **values)
    db.session.add(submission)
    db.session.flush()
    return submission
