"""Erasure on request (issue 19 item 4): after a supporter called, emailed Congress, signed
and received a mailing, an admin erases them; no text column of any table holds their email,
name, phone or street, every count stays as it was, and the audit log says who erased whom."""

import html

import pytest
from sqlalchemy import String, Text, cast, func, or_, select

from campaign_app.actions.models import Action
from campaign_app.actions.queries import member_pressure, recent_signers, signature_count
from campaign_app.audit.models import AuditEvent
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.dashboard.queries import alert_counts, referral_counts
from campaign_app.mailings.models import Mailing, MailingRecipient, SupporterTag
from campaign_app.privacy.erasure import erased_email
from campaign_app.signons.letter import letter_offices, signatures_by_place, signer_rows
from campaign_app.supporters.models import Submission, Supporter
from tests.factories import add_alert, add_delivery, add_supporter
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Anaïs", "last_name": "Quintanilla", "email": "anais.q@example.org",
       "zip_code": "82001"}
STREET, PHONE = "2020 Carey Ave", "307-555-0142"
#: The partner's own identifier of her, given through the API.
CRM_ID = "actionnetwork:ana-7731"
PERSONAL = (ANA["email"], ANA["first_name"], ANA["last_name"], STREET, PHONE, CRM_ID)


def _act(client, alert) -> Supporter:
    """Ana calls, emails each office (street, city, phone), signs, and brings a friend."""
    assert submit_form(client, f"/a/{alert.slug}", ANA).status_code == 302
    sign = form_for(client.get(f"/a/{alert.slug}/call").text, action=f"/a/{alert.slug}/sign")
    assert client.post(sign["action"], data={**sign["fields"],
                                             "city": "Cheyenne"}).status_code == 302
    call = form_for(client.get(f"/a/{alert.slug}/call").text, containing="bioguide_id")
    assert client.post(call["action"], data={
        **call["fields"], "outcome": "talked",
        "note": f"Told them {ANA['first_name']} {ANA['last_name']} lives on Carey"}
    ).status_code == 302
    email = form_for(client.get(f"/a/{alert.slug}/call").text, containing="street")
    assert client.post(email["action"], data={
        **email["fields"], "prefix": "Ms.", "street": STREET, "city": "Cheyenne",
        "phone": PHONE}).status_code == 302
    ana = db.session.scalars(select(Supporter).where(Supporter.email == ANA["email"])).one()
    return ana


def _brought_by(alert, ana) -> None:
    from campaign_app.supporters.referrals import ensure_referral_code
    from tests.factories import add_action

    friend = add_supporter(state="WY", district=0, zip_code="82001", first_name="Bo")
    add_action(alert, friend, "H001096", referral_code=ensure_referral_code(ana))


def _mailed(alert, ana, smtp) -> None:
    """Her confirmation goes out through the real task and SMTP server; a mailing reached her."""
    from campaign_app.delivery.models import Delivery
    from campaign_app.delivery.tasks import send_delivery

    for delivery_id in db.session.scalars(select(Delivery.id).where(
            Delivery.supporter_id == ana.id, Delivery.status == "pending")).all():
        send_delivery.apply(args=(delivery_id,))
    assert any(ANA["email"] in tos for tos, _ in smtp.wait_for(1))
    mailing = Mailing(alert_id=alert.id, subject="Act now", body="Hi", status="done",
                      segment={"type": "all"}, recipient_count=1)
    db.session.add(mailing)
    db.session.flush()
    db.session.add(MailingRecipient(mailing_id=mailing.id, supporter_id=ana.id, status="sent",
                                    sent_at=utcnow(), last_error=f"421 try later <{ANA['email']}>"))
    db.session.add(SupporterTag(supporter_id=ana.id, tag="volunteer"))
    add_delivery(alert, ana, status="delivered",
                 last_error=f"451 greylisted {ANA['email']}")
    _signed_up_through_the_api(ana)
    db.session.commit()


def _signed_up_through_the_api(ana) -> None:
    """A partner's signup of her through the API: its answer is kept under the
    Idempotency-Key, with her OSDI person in it, and the partner's identifier of her."""
    from campaign_app.api.operations import add_identifiers, create_api_key, keep_answer

    key, _token = create_api_key("CRM sync", "read_write", by=None)
    assert add_identifiers(ana, [CRM_ID], key) == [CRM_ID]
    assert keep_answer(key, "signup-1", "POST /api/v1/people", 200, {
        "identifiers": [f"alerta:person-{ana.id}"], "given_name": ANA["first_name"],
        "family_name": ANA["last_name"], "email_addresses": [{"address": ANA["email"]}],
        "phone_numbers": [{"number": PHONE}]})


def _figures(alert) -> dict:
    counts = alert_counts(alert.id)
    return {"counts": counts, "pressure": member_pressure(alert.id),
            "signatures": signature_count(alert.id),
            "places": signatures_by_place(alert.id),
            "offices": [(o.bioguide_id, o.signer_count) for o in letter_offices(alert)],
            "referrals": sorted(count for _, count in referral_counts(alert.id))}


def _text_columns_holding(values) -> list[str]:
    """Every string, text and JSON column of every table, searched for each value."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text) and \
                    column.type.__class__.__name__ != "JSON":
                continue
            as_text = cast(column, Text) if not isinstance(column.type, String | Text) \
                else column
            hits = db.session.scalar(select(func.count()).select_from(table).where(or_(
                *(func.lower(as_text).contains(value.lower(), autoescape=True)
                  for value in values))))
            if hits:
                found.append(f"{table.name}.{column.name}")
    return found


def _erase_page(client, ana, confirm):
    page = client.get(f"/staff/supporters/{ana.id}")
    assert page.status_code == 200
    form = form_for(page.text, containing="confirm_email")
    return client.post(form["action"], data={**form["fields"], "confirm_email": confirm})


def test_an_erased_supporter_leaves_no_trace_but_their_counts(client, login, smtp):
    alert = add_alert(channels=["call", "email", "signon"], target_rule="all",
                      letter_text="Dear [[Target_Name]], please sign.")
    ana = _act(client, alert)
    _brought_by(alert, ana)
    _mailed(alert, ana, smtp)
    ana_id = ana.id
    assert _text_columns_holding(PERSONAL), "the journey stored nothing to erase"
    assert [s.first_name for s in recent_signers(alert.id)] == [ANA["first_name"]]
    before = _figures(alert)

    admin = login("admin")
    # The staff page finds her by email sent in the body, not the URL.
    found = submit_form(admin, "/staff/supporters/", {"email": ANA["email"].upper()})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/{ana_id}")
    # The confirm step: a wrong email erases nothing.
    refused = _erase_page(admin, ana, "someone@example.org")
    assert refused.status_code == 422
    assert "nothing erased" in html.unescape(refused.text)
    assert db.session.get(Supporter, ana_id).erased_at is None
    assert _erase_page(admin, ana, ANA["email"]).status_code == 302

    db.session.expire_all()
    assert _text_columns_holding(PERSONAL) == []
    assert _figures(alert) == before
    assert recent_signers(alert.id) == []  # the public list of signers
    _, rows = signer_rows(alert.id)
    assert list(rows) == []  # the letter names no one, its offices still count her
    assert db.session.scalar(select(func.count()).select_from(SupporterTag)) == 0
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "supporter.erased")).one()
    assert event.target == f"supporter {ana_id}" and event.user.email == "admin@example.org"
    assert event.detail["actions"] == len(db.session.scalars(
        select(Action).where(Action.supporter_id == ana_id)).all()) >= 5

    # The personal link of an email she got before greets no one now.
    from campaign_app.supporters.tokens import make_personal_token

    linked = client.application.test_client().get(
        f"/a/{alert.slug}?t={make_personal_token(ana_id)}")
    assert linked.status_code == 200 and "erased" not in linked.text
    assert 'value="' + erased_email(ana_id) not in linked.text

    # She comes back: a new supporter, who knows nothing of the erased one.
    returning = client.application.test_client()
    assert submit_form(returning, f"/a/{alert.slug}", ANA).status_code == 302
    again = db.session.scalars(select(Supporter).where(Supporter.email == ANA["email"])).one()
    assert again.id != ana_id and again.erased_at is None
    assert db.session.scalar(select(func.count()).select_from(Submission).where(
        Submission.supporter_id == again.id)) == 1


def test_only_admins_see_the_erasure_page(client, login, db_session):
    ana = add_supporter(email="ana.only@example.org")
    db_session.commit()
    organizer = login("organizer")
    assert organizer.get("/staff/supporters/").status_code == 403
    assert organizer.get(f"/staff/supporters/{ana.id}").status_code == 403
    assert organizer.post(f"/staff/supporters/{ana.id}/erase").status_code in (400, 403)
    assert db.session.get(Supporter, ana.id).erased_at is None


def test_the_erase_form_needs_its_csrf_token(client, login, db_session):
    ana = add_supporter(email="ana.csrf@example.org")
    db_session.commit()
    admin = login("admin")
    response = admin.post(f"/staff/supporters/{ana.id}/erase",
                          data={"confirm_email": "ana.csrf@example.org"})
    assert response.status_code in (400, 422)
    assert db.session.get(Supporter, ana.id).erased_at is None


def test_the_command_asks_before_erasing(app, db_session):
    ana = add_supporter(email="ana.cli@example.org", first_name="Zenobia")
    db_session.commit()

    def erase(*args, answer=None):
        return app.test_cli_runner().invoke(args=["supporters", "erase", *args], input=answer)

    declined = erase("ana.cli@example.org", answer="n\n")
    assert declined.exit_code == 1 and db.session.get(Supporter, ana.id).erased_at is None
    unknown = erase("nobody@example.org", "--yes")
    assert unknown.exit_code == 1 and "no supporter" in unknown.output
    done = erase("ANA.cli@example.org", answer="y\n")
    assert done.exit_code == 0, done.output
    assert "Zenobia" not in done.output and "ana.cli" not in done.output
    db.session.expire_all()
    erased = db.session.get(Supporter, ana.id)
    assert erased.erased_at is not None and erased.first_name == ""
    assert erase("ana.cli@example.org", "--yes").exit_code == 1  # nobody has it any more
    assert erase(str(ana.id), "--yes").exit_code == 1  # erased already


def test_the_command_erases_again_by_number_after_a_restore(app, db_session):
    """A restored backup brings back those erased since: the live audit log names their
    numbers, and each is erased again by it."""
    bo = add_supporter(email="bo.restored@example.org", first_name="Bartholomew")
    db_session.commit()
    done = app.test_cli_runner().invoke(args=["supporters", "erase", str(bo.id), "--yes"])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert db.session.get(Supporter, bo.id).first_name == ""


def test_erasing_deletes_their_messages_from_the_embedded_mail_catcher(app, db_session):
    """The embedded default keeps every email as a file in instance/mail: hers go, a
    neighbour's stay (a message is hers by a header or by its text, encoded or not)."""
    import shutil
    import smtplib
    import socket
    from email.message import EmailMessage

    from campaign_app.mailcatcher import mail_folder, start_mail_catcher
    from campaign_app.privacy.erasure import erase_supporter

    ana = add_supporter(email="ana.caught@example.org", first_name="Zenobia")
    db_session.commit()
    folder = mail_folder(app.instance_path)
    shutil.rmtree(folder, ignore_errors=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    catcher = start_mail_catcher("127.0.0.1", port, folder)
    try:
        with smtplib.SMTP("127.0.0.1", port) as server:
            for to, reply_to, body in (
                    ("ana.caught@example.org", None, "Gracias, Zenobia."),
                    ("office@house.example", "Ana.Caught@example.org", "Dear Rep."),
                    ("staff@example.org", None, "Ñ signed: ana.caught@example.org " * 20),
                    ("bo@example.org", None, "Thanks, Bo.")):
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = "a@x.org", to, "Hi"
                if reply_to:
                    message["Reply-To"] = reply_to
                message.set_content(body, cte="base64" if "Ñ" in body else None)
                server.send_message(message)
    finally:
        catcher.stop()
    assert len(list(folder.glob("*.eml"))) == 4
    counts = erase_supporter(ana)
    assert counts["caught_emails"] == 3
    [left] = folder.glob("*.eml")
    assert "bo@example.org" in left.read_text()
    shutil.rmtree(folder)
