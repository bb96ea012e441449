"""Dates, times, numbers and plurals in each language (issue 15, item 1)."""

from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale, ngettext

from campaign_app.core.time import format_deadline

WINTER = datetime(2026, 12, 18, 22, 0, tzinfo=UTC)  # Friday 5 PM in New York (EST)
SUMMER = datetime(2026, 7, 15, 21, 0, tzinfo=UTC)  # Wednesday 5 PM in New York (EDT)
LETTER = "{% include 'actions/_letter.html' %}"


@pytest.mark.parametrize("moment,language,written", [
    (WINTER, "en", "Friday, December 18, 5:00 PM EST"),
    (WINTER, "es", "viernes, 18 de diciembre, 5:00 p.m. EST"),
    (SUMMER, "en", "Wednesday, July 15, 5:00 PM EDT"),
    (SUMMER, "es", "miércoles, 15 de julio, 5:00 p.m. EDT"),
])
def test_deadlines_are_written_in_each_language(moment, language, written):
    assert format_deadline(moment, "America/New_York", language) == written


def test_a_deadline_follows_the_pages_language(app):
    with app.test_request_context("/a/x?lang=es"), force_locale("es"):
        assert format_deadline(WINTER, "America/Chicago").startswith("viernes, 18 de diciembre, "
                                                                     "4:00 p.m. ")
    with app.test_request_context("/"):
        assert format_deadline(WINTER, "America/Los_Angeles") == \
            "Friday, December 18, 2:00 PM PST"


class _Alert:
    signature_goal = None


@pytest.mark.parametrize("language,count,written", [
    ("es", 1, "<strong>1</strong> persona ha firmado la carta."),
    ("es", 82, "<strong>82</strong> personas han firmado la carta."),
    ("es", 0, "<strong>0</strong> personas han firmado la carta."),
    ("es", 12345, "<strong>12,345</strong> personas han firmado la carta."),
    ("en", 1, "<strong>1</strong> person has signed the letter."),
    ("en", 82, "<strong>82</strong> people have signed the letter."),
    ("en", 1234, "<strong>1,234</strong> people have signed the letter."),
])
def test_the_signature_count_has_its_plural_and_number_format(app, language, count, written):
    with app.test_request_context("/"), force_locale(language):
        page = render_template_string(LETTER, signatures=count, alert=_Alert())
    assert written in page


def test_plural_forms_of_the_catalog(app):
    with app.test_request_context("/"), force_locale("es"):
        one = ngettext("%(num)s member of Congress has signed.",
                       "%(num)s members of Congress have signed.", 1)
        many = ngettext("%(num)s member of Congress has signed.",
                        "%(num)s members of Congress have signed.", 47)
    assert (one, many) == ("1 miembro del Congreso ha firmado.",
                           "47 miembros del Congreso han firmado.")


@pytest.mark.full_data
def test_members_titles_are_written_out_in_spanish_and_agree_with_the_member(app, full_data,
                                                                           db_session):
    from campaign_app.congress.index import Member
    from campaign_app.congress.models import Legislator
    from campaign_app.core.db import db

    lummis, barrasso, hageman = (db.session.get(Legislator, bioguide)
                                 for bioguide in ("L000571", "B001261", "H001096"))
    assert (lummis.gender, barrasso.gender) == ("F", "M")  # read from the data by the sync
    with app.test_request_context("/"), force_locale("es"):
        assert [m.titled_name for m in (lummis, barrasso, hageman)] == [
            "Senadora Cynthia M. Lummis", "Senador John Barrasso",
            "Representante Harriet M. Hageman"]
        unknown = Member(bioguide_id="X000001", first_name="Alex", last_name="Doe",
                         official_name=None, chamber="senate", state="WY", district=None,
                         senate_class=1, party="I", phone=None, website=None,
                         contact_form_url=None, term_end=None)
        assert unknown.titled_name == "Senador(a) Alex Doe"
        # The seat beside the name, on supporter pages: Spanish too (seen in English by hand).
        assert [m.local_seat_label for m in (lummis, hageman)] == ["R-WY, Senado", "R-WY-AL"]
    with app.test_request_context("/"), force_locale("en"):
        assert lummis.titled_name == "Sen. Cynthia M. Lummis" and lummis.title == "Sen."
        assert lummis.local_seat_label == lummis.seat_label == "R-WY, Senate"


@pytest.mark.full_data
def test_spanish_running_text_puts_the_article_the_members_gender_asks_for(app, full_data,
                                                                           db_session):
    """'Llamó a Representante X' lacked the article: Spanish writes 'a la Representante',
    'al Senador' (a + el, contracted), 'con la Senadora'; a member whose gender the data
    doesn't give yet reads 'al/a la Senador(a)'. English keeps the bare title."""
    from flask_babel import gettext
    render = render_template_string

    from campaign_app.congress.index import Member
    from campaign_app.congress.models import Legislator
    from campaign_app.core.db import db

    lummis, barrasso, hageman = (db.session.get(Legislator, bioguide)
                                 for bioguide in ("L000571", "B001261", "H001096"))
    unknown = Member(bioguide_id="X000001", first_name="Alex", last_name="Doe",
                     official_name=None, chamber="senate", state="WY", district=None,
                     senate_class=1, party="I", phone=None, website=None,
                     contact_form_url=None, term_end=None)
    names = "{% from 'actions/_done.html' import member_names %}{{ member_names(members) }}"
    with app.test_request_context("/"), force_locale("es"):
        called = [gettext("Called %(name)s — %(outcome)s", name=member.titled_name_as_object,
                          outcome="x") for member in (hageman, barrasso, unknown)]
        assert called == ["Llamó a la Representante Harriet M. Hageman: x",
                          "Llamó al Senador John Barrasso: x",
                          "Llamó al/a la Senador(a) Alex Doe: x"]
        assert gettext("Connecting you to %(name)s. Press star to skip.",
                       name=lummis.titled_name_with_article).startswith(
            "Lo comunicamos con la Senadora Cynthia M. Lummis.")
        assert barrasso.titled_name_with_article == "el Senador John Barrasso"
        listed = render(names, members=[hageman, barrasso, lummis]).strip()
        assert listed == ("a la Representante Harriet M. Hageman, al Senador John Barrasso y "
                          "a la Senadora Cynthia M. Lummis")
        assert gettext("You already wrote to %(emailed)s; this email goes to %(to_email)s.",
                       emailed=listed, to_email="…") == (
            "Usted ya le escribió a la Representante Harriet M. Hageman, al Senador John "
            "Barrasso y a la Senadora Cynthia M. Lummis; este correo electrónico va dirigido ….")
    with app.test_request_context("/"), force_locale("en"):
        assert gettext("Called %(name)s — %(outcome)s", name=barrasso.titled_name_as_object,
                       outcome="x") == "Called Sen. John Barrasso — x"
        assert barrasso.titled_name_with_article == "Sen. John Barrasso"
        assert render(names, members=[hageman, barrasso]).strip() == \
            "Rep. Harriet M. Hageman and Sen. John Barrasso"
