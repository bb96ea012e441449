"""Writes on supporters, and the rule of what a browser may change and see of one.

A supporter is recognized by email, which anyone can type. Only a browser that proved who it
is (a personal link; staff and write-scoped API keys count as proven) updates what is stored;
any other submission fills only what is empty and is kept as submitted (`Submission`).
"""

import logging

from sqlalchemy import select

from ..core.db import db, insert_unless_taken
from ..core.time import utcnow
from .models import Submission, Supporter

log = logging.getLogger(__name__)

#: Where the supporter lives, changed only as a whole (a district lies in its ZIP).
PLACE_FIELDS = ("zip_code", "state", "district", "district_source", "latitude", "longitude")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def upsert_supporter(*, email: str, first_name: str, last_name: str, zip_code: str,
                     state: str | None, district: int | None, district_source: str | None,
                     is_proven: bool = False, **extra) -> Supporter:
    """Find the supporter by normalized email and update them, or create one. Flushes.

    A new supporter takes every field. An existing one takes them all from a proven
    submitter, else only where nothing is stored (`update_profile`).
    """
    supporter, _, _ = find_or_create_supporter(
        email=email, is_proven=is_proven,
        fields={"first_name": first_name, "last_name": last_name, "zip_code": zip_code,
                "state": state, "district": district, "district_source": district_source,
                **{key: value for key, value in extra.items() if value is not None}})
    return supporter


def find_or_create_supporter(*, email: str, fields: dict, is_proven: bool,
                             own: Submission | None = None,
                             created_with: dict | None = None
                             ) -> tuple[Supporter, bool, list[str]]:
    """The supporter with this email, created or updated by the rule; whether it is new, and
    the stored fields the submission gave otherwise and did not replace. `own` is what this
    browser submitted before; `created_with`, what only a new supporter takes (the page's
    language, the source). Flushes."""
    email = normalize_email(email)
    supporter = db.session.scalars(select(Supporter).where(Supporter.email == email)).first()
    if supporter is None:
        # Two first submissions at once (a double click, two tabs): one insert wins, the
        # other is treated as any later submission.
        supporter = insert_unless_taken(
            Supporter, {"email": email, **fields, **(created_with or {})}, Supporter.email)
        if supporter is not None:
            log.info("supporter %s created", supporter.id)
            return supporter, True, []
        supporter = db.session.scalars(select(Supporter).where(Supporter.email == email)).one()
    if own is not None and own.supporter_id != supporter.id:
        own = None
    differing = update_profile(supporter, fields, is_proven=is_proven, own=own)
    log.info("supporter %s upserted (%s)", supporter.id,
             "proven" if is_proven else f"unproven, differing: {differing or 'none'}")
    return supporter, False, differing


def update_profile(supporter: Supporter, fields: dict, *, is_proven: bool,
                   own: Submission | None = None) -> list[str]:
    """Give the stored supporter what a browser submitted. Flushes.

    A proven browser replaces what is stored. Any other fills an identity field only where it
    is empty or still holds what this browser stored when it created the supporter (`own`,
    its submission as it was: a value merely typed alike proves nothing), and the place (ZIP
    and district) likewise, or while the district is unknown and the ZIP is the same.
    Returns the stored fields given otherwise and left as they were.
    """
    def its_own(key):
        return own is not None and own.is_new_supporter \
            and getattr(own, key) == getattr(supporter, key)

    differing = []
    place = {key: fields[key] for key in PLACE_FIELDS if key in fields}
    for key, value in fields.items():
        if key in PLACE_FIELDS or value is None or value == "":
            continue
        stored = getattr(supporter, key)
        if is_proven or stored in (None, "") or its_own(key):
            setattr(supporter, key, value)
        elif stored != value:
            differing.append(key)
    if place:
        same_zip = place.get("zip_code", supporter.zip_code) == supporter.zip_code
        if is_proven or (supporter.district is None and same_zip) \
                or all(its_own(key) for key in PLACE_FIELDS):
            for key, value in place.items():
                setattr(supporter, key, value)
        else:
            differing += [key for key in ("zip_code", "district")
                          if place.get(key) is not None and place[key] != getattr(supporter, key)]
    db.session.flush()
    return differing


def record_submission(alert_id: int, *, email: str, first_name: str, last_name: str,
                      zip_code: str, state: str | None, district: int | None,
                      district_source: str | None, phone: str | None = None,
                      is_opt_in: bool = False, is_proven: bool = False,
                      previous: Submission | None = None,
                      created_with: dict | None = None,
                      source_code: str | None = None) -> Submission:
    """A browser submitted the alert's form: find or create the supporter by the rule, and
    keep what it typed as submitted. A browser that sends the form again for the same
    supporter (`previous`) updates its submission rather than starting another; the first
    `source_code` stays. `created_with`: what only a new supporter takes. Flushes."""
    fields = {"first_name": first_name, "last_name": last_name, "zip_code": zip_code,
              "state": state, "district": district, "district_source": district_source,
              # a blank field keeps the number a returning supporter gave
              "phone": phone or None}
    created_with = dict(created_with or {})
    if is_opt_in:
        created_with.update(is_subscribed=True, subscribed_at=utcnow())
    supporter, created, differing = find_or_create_supporter(
        email=email, fields=fields, is_proven=is_proven, own=previous,
        created_with=created_with)
    if is_opt_in and not supporter.is_subscribed:
        if created or is_proven or supporter.unsubscribed_at is None:
            # The only way back after unsubscribing: a new, explicit opt-in by the person.
            supporter.is_subscribed = True
            supporter.subscribed_at = utcnow()
            supporter.unsubscribed_at = None
        else:
            differing.append("is_subscribed")
    submission = previous if previous is not None and previous.supporter_id == supporter.id \
        and previous.alert_id == alert_id else None
    if submission is None:
        submission = Submission(alert_id=alert_id, supporter=supporter,
                                email=supporter.email, is_new_supporter=created,
                                differing_fields="")
        db.session.add(submission)
    for key, value in fields.items():
        setattr(submission, key, value)
    submission.latitude = submission.longitude = None
    submission.source_code = submission.source_code or source_code
    submission.is_opt_in = is_opt_in
    submission.is_proven = is_proven
    _note_differing(submission, differing)
    return submission


def update_submission(submission: Submission, **typed) -> None:
    """A later step of the same visit (address, email form, signature): keep what it typed
    with the submission, and give the supporter what the rule allows. Flushes."""
    differing = update_profile(submission.supporter, typed, is_proven=submission.is_proven,
                               own=submission)
    for key, value in typed.items():
        if key in PLACE_FIELDS or value is not None:
            setattr(submission, key, value)
    _note_differing(submission, differing)


def _note_differing(submission: Submission, differing: list[str]) -> None:
    """Add `differing` to the fields the submission is noted to differ in. Flushes (first:
    a new submission's log line then has its id)."""
    known = [name for name in submission.differing_fields.split(",") if name]
    submission.differing_fields = ",".join(dict.fromkeys(known + differing))[:200]
    db.session.flush()
    if differing:
        log.info("submission %s differs from supporter %s in %s", submission.id,
                 submission.supporter_id, ", ".join(differing))


def record_district(submission: Submission, district, source: str, *,
                    street: str | None = None, city: str | None = None,
                    latitude: float | None = None, longitude: float | None = None) -> None:
    """The district this browser's input placed it in, and how (geocoder, self-selected)."""
    update_submission(submission, state=district.state, district=district.number,
                      district_source=source,
                      # A choice by hand says nothing about where the supporter lives within
                      # the district.
                      latitude=latitude, longitude=longitude,
                      street=street or None, city=city or None)
    log.info("submission %s placed in %s (%s)", submission.id, district.label, source)


def unsubscribe(supporter: Supporter) -> bool:
    """Final: no more mailings or reminders. Returns whether anything changed."""
    if not supporter.is_subscribed:
        return False
    supporter.is_subscribed = False
    supporter.unsubscribed_at = utcnow()
    db.session.flush()
    log.info("supporter %s unsubscribed", supporter.id)
    return True


def mark_undeliverable(email: str, reason: str) -> Supporter | None:
    supporter = db.session.scalars(
        select(Supporter).where(Supporter.email == email.strip().lower())).first()
    if supporter is not None and not supporter.is_undeliverable:
        supporter.is_undeliverable = True
        supporter.undeliverable_reason = reason[:200]
        db.session.flush()
        log.info("supporter %s marked undeliverable: %s", supporter.id, reason)
    return supporter
