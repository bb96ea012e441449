"""Spanish's personal "a" before a member, in the organizer's texts (issue 15, items 2 and 4).

`[[A_Target_Name]]`, `[[A_Rep_Name]]` and `[[A_Senator_Names]]` give the member after the
personal "a" with the article their gender takes: "pedirle a la Representante Harriet M.
Hageman", "pedirle al Senador John Barrasso", "a la Senadora … y al Senador …". The organizer
could not write the article, not knowing who the member is: before these fields, the Spanish
demo read "pedirle a Representante Harriet M. Hageman". In English they give the name alone.

Each test fails without the fields: the texts they render would be refused as using unknown
merge fields, and the demo's script would still read "a Representante".
"""

import email
import html
import re
from email.policy import default as default_policy

import pytest
from sqlalchemy import select

from campaign_app.actions.emails import longest_target_names
from campaign_app.actions.forms import EmailForm
from campaign_app.actions.models import Action
from campaign_app.alerts.checks import missing_fallbacks
from campaign_app.alerts.demo import demo_spanish_texts
from campaign_app.alerts.operations import save_translation, set_merge_defaults
from campaign_app.core.db import db
from campaign_app.delivery.messages import build_cwc_message
from campaign_app.delivery.models import Delivery
from campaign_app.delivery.tasks import send_delivery
from campaign_app.mailings import batches
from campaign_app.mailings import operations as mailing_operations
from campaign_app.mailings.messages import MailingRenderer
from campaign_app.mailings.queries import claimed_recipients
from campaign_app.signons.operations import record_member_signon
from tests.factories import add_alert, add_supporter, add_user
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

LUPE = {"first_name": "Lupe", "last_name": "Muñoz", "email": "lupe@example.org",
        "zip_code": "82001"}
ADDRESS = {"prefix": "Ms.", "street": "2020 Carey Ave", "city": "Cheyenne",
           "phone": "307-555-0100"}
SPANISH = "es-US,es;q=0.9"
HAGEMAN, BARRASSO, LUMMIS = "H001096", "B001261", "L000571"
#: Wyoming's members after the personal "a", each with the article of their gender.
OBJECT = {HAGEMAN: "a la Representante Harriet M. Hageman",
          BARRASSO: "al Senador John Barrasso", LUMMIS: "a la Senadora Cynthia M. Lummis"}
#: The senators as a list: each with their own article, in either order the data gives.
SENATORS = ("a la Senadora Cynthia M. Lummis y al Senador John Barrasso",
            "al Senador John Barrasso y a la Senadora Cynthia M. Lummis")

EMAIL_ES = """\
Estimado/a [[Target_Name]]:

Les pido [[A_Target_Name]] y a sus colegas que firmen la carta. Escribo también [[A_Rep_Name]] y \
[[A_Senator_Names]].

Atentamente,
[[Full_Name]]"""


def _bilingual(own=None, **spanish):
    """An alert in English (the demo's texts, with `own`) and Spanish (with `spanish`)."""
    alert = add_alert(**(own or {}))
    save_translation(alert, "es", {**demo_spanish_texts(), **spanish})
    db.session.commit()
    return alert


def _call_page(client, alert, language=SPANISH):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language  # every request
    submit_form(client, f"/a/{alert.slug}", LUPE)
    return html.unescape(client.get(f"/a/{alert.slug}/call").text)


def test_the_spanish_demo_script_asks_each_member_with_their_article(client):
    """The demo's own Spanish script, as a supporter reads it: the bug seen in Chromium."""
    page = _call_page(client, _bilingual())
    for member in OBJECT.values():
        assert f"Llamo para pedirle {member} que <strong>firme la carta" in page
    assert "pedirle a Representante" not in page and "pedirle a Senador" not in page


def test_a_member_who_signed_is_thanked_with_their_article(client):
    alert = _bilingual()
    record_member_signon(alert, HAGEMAN, by=add_user(email="staff@example.org", role="organizer"),
                         source="office confirmed by phone")
    db.session.commit()
    page = _call_page(client, alert)
    assert f"Llamo para <strong>agradecerle {OBJECT[HAGEMAN]} por firmar</strong>" in page


def test_the_default_thank_script_in_spanish_has_the_article(client):
    """The catalog's thank-you script (no organizer text) uses the field too."""
    alert = _bilingual({"thank_script": ""}, thank_script="")
    record_member_signon(alert, BARRASSO, by=add_user(email="staff@example.org", role="organizer"),
                         source="office confirmed by phone")
    db.session.commit()
    page = _call_page(client, alert)
    assert f"Llamo para agradecerle {OBJECT[BARRASSO]} por firmar la carta." in page


def test_the_representative_and_the_senator_list_in_a_spanish_script(client):
    alert = _bilingual(call_script="Pídale [[A_Target_Name]] que firme.\n\n"
                                   "Sus miembros: [[A_Rep_Name]]; [[A_Senator_Names]].")
    page = _call_page(client, alert)
    for member in OBJECT.values():
        assert f"Pídale {member} que firme." in page
    # On each of the three cards.
    assert sum(page.count(f"Sus miembros: {OBJECT[HAGEMAN]}; {senators}.")
               for senators in SENATORS) == 3


def test_the_english_demo_page_is_unchanged(client):
    page = _call_page(client, _bilingual(), language="en-US,en;q=0.9")
    assert "I'm calling to ask Rep. Harriet M. Hageman to <strong>sign the Dear Colleague" in page
    assert "I'm calling to ask Sen. John Barrasso to <strong>sign" in page
    assert "a la " not in page and " al Senador" not in page
    assert "[[Target_Name]] becomes each member’s name." in page


def test_an_english_text_with_the_form_gets_the_name_alone(client):
    """English has no personal "a": the form gives what the field gives."""
    alert = add_alert(call_script="Ask [[A_Target_Name]] to sign; also [[A_Senator_Names]].")
    page = _call_page(client, alert, language="en-US,en;q=0.9")
    assert "Ask Rep. Harriet M. Hageman to sign; also Sen. " in page
    assert re.search(r"also Sen\. (John Barrasso|Cynthia M\. Lummis) and Sen\. "
                     r"(John Barrasso|Cynthia M\. Lummis)\.", page)


def test_the_spanish_email_reaches_each_office_with_its_members_article(client, cwc_server):
    """The email form keeps [[A_Target_Name]] as a placeholder (like [[Target_Name]]); each
    office's email, and the CWC message built from it, has its own member's article."""
    page = _call_page(client, _bilingual(email_body=EMAIL_ES))
    assert "[[Target_Name]] y [[A_Target_Name]] se reemplazan por el nombre" in page
    form = form_for(page, containing="body")
    assert "Les pido [[A_Target_Name]] y a sus colegas" in form["fields"]["body"]
    client.post(form["action"], data={**form["fields"], **ADDRESS})
    actions = {a.bioguide_id: a for a in db.session.scalars(
        select(Action).where(Action.kind == "email"))}
    assert set(actions) == set(OBJECT)
    for bioguide_id, member in OBJECT.items():
        body = actions[bioguide_id].message_body
        assert f"Les pido {member} y a sus colegas que firmen la carta." in body
        assert "Escribo también a la Representante Harriet M. Hageman y " in body
        assert any(f"y {senators}." in body for senators in SENATORS)
        assert "[[" not in body
    deliveries = db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).all()
    assert len(deliveries) == 3
    for delivery in deliveries:
        xml = build_cwc_message(delivery).decode("utf-8")
        assert f"Les pido {OBJECT[delivery.bioguide_id]} y a sus colegas" in xml
        assert send_delivery.apply(args=[delivery.id]).get() == "delivered"
    statements = {r.findtext("Message/OrganizationStatement") for r in cwc_server.received}
    assert len(statements) == 3
    assert all(any(f"Les pido {member} y" in s for s in statements) for member in OBJECT.values())


def test_the_email_forms_length_counts_the_longest_name_of_each_form(app):
    """The form counts each placeholder as the longest name it becomes: the "a la" form is
    the longer in Spanish (a body at the limit with it must be refused)."""
    from campaign_app.congress.index import current_index

    with app.test_request_context(headers={"Accept-Language": SPANISH}):
        members = [m for m in current_index().senators["WY"]]
        lengths = longest_target_names(members)
        assert lengths["[[A_Target_Name]]"] == len("a la Senadora Cynthia M. Lummis")
        assert lengths["[[Target_Name]]"] == len("Senadora Cynthia M. Lummis")
        body = "[[A_Target_Name]]" + "x" * (100 - lengths["[[A_Target_Name]]"])
        fits = EmailForm(formdata=None, max_length=100, longest_target_names=lengths)
        assert fits._sent_length(body) == 100
        assert fits._sent_length(body + "x") == 101


def test_a_spanish_mailing_names_the_members_in_spanish(db_session):
    """A mailing's edition names members in its language: titles and articles in Spanish (the
    worker's own locale gave English titles, "Rep. Harriet M. Hageman"); English unchanged."""
    alert = _bilingual({"alert_email_body": "Call [[A_Rep_Name]] ([[Rep_Name]]) and "
                                            "[[A_Senator_Names]]."},
                       alert_email_body="Llame [[A_Rep_Name]] ([[Rep_Name]]) y "
                                        "[[A_Senator_Names]].")
    add_supporter(email="lupe@example.org", state="WY", district=0, zip_code="82001",
                  language="es")
    add_supporter(email="ana@example.org", state="WY", district=0, zip_code="82001",
                  language="en")
    db.session.commit()
    mailing = mailing_operations.create_mailing(alert, {"type": "all"})
    renderer = MailingRenderer(mailing, alert)
    texts = {}
    for person in claimed_recipients(batches.claim_batch(mailing.id, 10)):
        message = email.message_from_bytes(renderer.render(person).data, policy=default_policy)
        texts[person.email] = message.get_body(("plain",)).get_content()
    spanish = texts["lupe@example.org"]
    assert "Llame a la Representante Harriet M. Hageman (Representante Harriet M. Hageman) y " \
        in spanish
    assert any(f"y {senators}." in spanish for senators in SENATORS)
    english = texts["ana@example.org"]
    assert "Call Rep. Harriet M. Hageman (Rep. Harriet M. Hageman) and Sen. " in english


def test_the_spanish_texts_take_the_forms_and_refuse_a_misspelt_one(client, login):
    """Checked like every field: the forms compile in either language; a misspelt one is
    refused with its line and column. The page of Spanish texts and the editor list them
    beside their field, with how they read."""
    login("organizer")
    alert = add_alert()
    page = html.unescape(client.get(f"/staff/alerts/{alert.id}/texts/es").text)
    assert "<code>[[Target_Name]]</code>, <code>[[A_Target_Name]]</code>" in page
    assert "After Spanish's personal “a”, write a member field's A_ form" in page
    editor = html.unescape(client.get(f"/staff/alerts/{alert.id}/edit").text)
    assert "<li><code>[[Rep_Name]]</code>, <code>[[A_Rep_Name]]</code> → “your representative”" \
        in editor
    assert "pedirle [[A_Target_Name]] que firme</code> → <span lang=\"es\">“pedirle a la " \
        "Representante …”, “pedirle al Senador …”" in editor
    form = form_for(page, containing="appeal")
    refused = client.post(f"/staff/alerts/{alert.id}/texts/es", data={
        **form["fields"], **demo_spanish_texts(),
        "call_script": "Hola.\nLlamo para pedirle [[A_Targt_Name]] que firme."})
    assert refused.status_code == 422
    assert "Unknown merge field [[A_Targt_Name]] at line 2, column 20" in \
        html.unescape(refused.text)
    saved = client.post(f"/staff/alerts/{alert.id}/texts/es", data={
        **form["fields"], **demo_spanish_texts(),
        "appeal": "Pídale [[A_Rep_Name]] y [[A_Senator_Names|a sus senadores]] que firmen."},
        follow_redirects=True)
    assert saved.status_code == 200
    # Saved, with the warning of a field without a fallback, naming whose default shows.
    text = html.unescape(saved.text)
    assert "Check: Appeal (Español), line 1, column 8: [[A_Rep_Name]] has no fallback: " \
        "visitors we don't know yet will read “a su representante”, the organization's " \
        "default for Rep_Name." in text
    assert "[[A_Senator_Names|a sus senadores]] has no fallback" not in text
    set_merge_defaults({"rep_name": ""})
    db.session.commit()
    assert "[[A_Rep_Name]] has no fallback, and the organization has no default for Rep_Name: " \
        "visitors we don't know yet will read nothing there. Write [[A_Rep_Name|…]] with a " \
        "fallback, or set a default for Rep_Name." in \
        [str(warning.message) for warning in missing_fallbacks(alert)]


def test_the_preview_shows_each_members_article_and_the_fields_default(client, login):
    """The Spanish preview as a sample supporter; the anonymous one shows the field's default
    (the organization's Rep_Name default: the form has none of its own) as missing, and the
    publish warning names the field whose default it is."""
    login("organizer")
    alert = _bilingual(appeal="Pídale [[A_Rep_Name]] que firme.")
    preview = html.unescape(client.get(
        f"/staff/alerts/{alert.id}/preview?lang=es&first_name=Ana&zip_code=82001").text)
    for member in OBJECT.values():
        assert f"Llamo para pedirle {member} que <strong>firme" in preview
    assert f"Pídale {OBJECT[HAGEMAN]} que firme." in preview
    anonymous = html.unescape(client.get(
        f"/staff/alerts/{alert.id}/preview?visitor=anonymous&lang=es").text)
    assert 'Pídale <mark class="missing" title="No value for A_Rep_Name">a su representante' \
        "</mark> que firme." in anonymous
    # The organization sets Rep_Name's default; its form has no box of its own.
    defaults_page = client.get("/staff/alerts/merge-fields").text
    assert 'name="es_rep_name"' in defaults_page and "a_rep_name" not in defaults_page
