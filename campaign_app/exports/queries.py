"""The rows of each export, read in batches from a server-side cursor: memory stays flat."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..actions.models import Action
from ..alerts.signons import SignOn
from ..auth.models import User
from ..congress.models import Legislator
from ..core.csvfile import iso_datetime
from ..core.db import db
from ..delivery.models import Delivery
from ..i18n.staff import lazy_staff_gettext
from ..supporters.models import Submission, Supporter

BATCH = 1000


def _stream(query) -> Iterator:
    yield from db.session.execute(query.execution_options(yield_per=BATCH))


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    #: What an organizer's file has that a viewer's doesn't, said on the exports page.
    contact_note: str


EXPORTS = {
    "actions": Export("actions", lazy_staff_gettext("Actions"), lazy_staff_gettext(
        "Viewers' and organizers' files are the same: supporters by id, state and district.")),
    "supporters": Export("supporters", lazy_staff_gettext("Supporters who acted"),
                         lazy_staff_gettext("Organizers get name, email, phone and address of "
                                            "supporters who opted in to hear from us; viewers "
                                            "get no contact data.")),
    "deliveries": Export("deliveries", lazy_staff_gettext("Deliveries"),
                         lazy_staff_gettext("No contact data.")),
    "signons": Export("signons", lazy_staff_gettext("Sign-ons"), lazy_staff_gettext(
        "Organizers also get organizations' private contacts.")),
}


def export_row_count(name: str, alert_id: int) -> int:
    if name == "actions":
        query = select(func.count()).select_from(Action).where(Action.alert_id == alert_id)
    elif name == "supporters":
        query = select(func.count(func.distinct(Action.supporter_id))).where(
            Action.alert_id == alert_id)
    elif name == "deliveries":
        query = select(func.count()).select_from(Delivery).where(Delivery.alert_id == alert_id)
    else:
        query = select(func.count()).select_from(SignOn).where(SignOn.alert_id == alert_id)
    return db.session.scalar(query)


def action_rows(alert_id: int, with_contacts: bool) -> tuple[list[str], Iterator]:
    # Whether the browser behind the action proved who it is, and which stored fields what
    # it typed differs from (kept as submitted, never over the supporter's own data).
    header = ["action_id", "created_at_utc", "kind", "outcome", "email_status", "bioguide_id",
              "member", "supporter_id", "supporter_state", "supporter_district",
              "referral_code", "source_code", "submission_proven", "submission_differs_in"]
    member = Legislator.display_name
    query = (select(Action.id, Action.created_at, Action.kind, Action.outcome, Action.status,
                    Action.bioguide_id, member, Action.supporter_id, Supporter.state,
                    Supporter.district, Action.referral_code, Action.source_code,
                    Submission.is_proven,
                    Submission.differing_fields)
             .join(Supporter, Supporter.id == Action.supporter_id)
             .outerjoin(Submission, Submission.id == Action.submission_id)
             # A signature ('signon') names no member: it stays, with the member blank.
             .outerjoin(Legislator, Legislator.bioguide_id == Action.bioguide_id)
             .where(Action.alert_id == alert_id).order_by(Action.id))

    def rows():
        for row in _stream(query):
            proven = "" if row[12] is None else ("yes" if row[12] else "no")
            yield [row[0], iso_datetime(row[1]), *row[2:12], proven,
                   (row[13] or "").replace(",", " ")]

    return header, rows()


def supporter_rows(alert_id: int, with_contacts: bool) -> tuple[list[str], Iterator]:
    acted = (select(Action.supporter_id, func.count(Action.id).label("actions"),
                    func.min(Action.created_at).label("first_at"))
             .where(Action.alert_id == alert_id).group_by(Action.supporter_id).subquery())
    # Submissions for this alert whose typed data differs from what is stored: someone else
    # may have typed the supporter's email (the stored data stays; see the actions export).
    differing = (select(func.count(Submission.id)).where(
        Submission.supporter_id == Supporter.id, Submission.alert_id == alert_id,
        Submission.differing_fields != "").scalar_subquery())
    header = ["supporter_id", "first_name", "state", "district", "action_count",
              "first_action_utc", "differing_submission_count", "source_code"]
    columns = [Supporter.id, Supporter.first_name, Supporter.state, Supporter.district,
               acted.c.actions, acted.c.first_at, differing, Supporter.source_code]
    if with_contacts:
        header += ["subscribed", "last_name", "email", "phone", "street", "city", "zip_code"]
        columns += [Supporter.is_subscribed, Supporter.last_name, Supporter.email,
                    Supporter.phone, Supporter.street, Supporter.city, Supporter.zip_code]
    query = (select(*columns).join(acted, acted.c.supporter_id == Supporter.id)
             .order_by(Supporter.id))

    def rows():
        for row in _stream(query):
            out = [*row[:5], iso_datetime(row[5]), *row[6:8]]
            if with_contacts:
                subscribed = bool(row[8])
                # Contact data only of supporters who opted in; the others stay a count.
                out += ["yes" if subscribed else "no",
                        *(row[9:] if subscribed else [""] * len(row[9:]))]
            yield out

    return header, rows()


def delivery_rows(alert_id: int, with_contacts: bool) -> tuple[list[str], Iterator]:
    header = ["delivery_id", "kind", "status", "bioguide_id", "supporter_id", "attempt_count",
              "last_error", "created_at_utc", "delivered_at_utc"]
    query = (select(Delivery.id, Delivery.kind, Delivery.status, Delivery.bioguide_id,
                    Delivery.supporter_id, Delivery.attempt_count, Delivery.last_error,
                    Delivery.created_at, Delivery.delivered_at)
             .where(Delivery.alert_id == alert_id).order_by(Delivery.id))

    def rows():
        for row in _stream(query):
            yield [*row[:7], iso_datetime(row[7]), iso_datetime(row[8])]

    return header, rows()


def signon_rows(alert_id: int, with_contacts: bool) -> tuple[list[str], Iterator]:
    recorder = aliased(User)
    header = ["kind", "name", "bioguide_id", "state", "district", "party", "status",
              "signed_at_utc", "source", "note", "recorded_by", "withdrawn_at_utc", "country",
              "website"]
    member = Legislator.display_name
    columns = [SignOn.kind, func.coalesce(SignOn.organization_name, member), SignOn.bioguide_id,
               Legislator.state, Legislator.district, Legislator.party, SignOn.status,
               SignOn.signed_at, SignOn.source, SignOn.note, recorder.email,
               SignOn.withdrawn_at, SignOn.country, SignOn.website]
    if with_contacts:
        header += ["contact_name", "contact_email"]
        columns += [SignOn.contact_name, SignOn.contact_email]
    query = (select(*columns)
             .outerjoin(Legislator, Legislator.bioguide_id == SignOn.bioguide_id)
             .outerjoin(recorder, recorder.id == SignOn.recorded_by_id)
             .where(SignOn.alert_id == alert_id).order_by(SignOn.kind, SignOn.id))

    def rows():
        for row in _stream(query):
            yield [*row[:7], iso_datetime(row[7]), *row[8:11], iso_datetime(row[11]), *row[12:]]

    return header, rows()


ROWS = {"actions": action_rows, "supporters": supporter_rows, "deliveries": delivery_rows,
        "signons": signon_rows}
