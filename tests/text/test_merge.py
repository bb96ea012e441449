"""The merge-field engine: syntax, catalogue, fallbacks, escaping by context."""

import pytest

from campaign_app.text.markdown import compile_markdown
from campaign_app.text.merge import (
    CATALOGUE,
    FIELD_FORMS,
    PAGE_FIELDS,
    MergeFieldError,
    compile_template,
    field_names,
)

VALUES = {
    "first_name": "Ana", "last_name": "Gómez", "full_name": "Ana Gómez", "city": "Cheyenne",
    "state": "WY", "zip": "82001", "rep_name": "Rep. Harriet M. Hageman",
    "rep_phone": "202-225-2311", "senator_names": "Sen. John Barrasso and Sen. Cynthia M. Lummis",
    "target_name": "Rep. Harriet M. Hageman", "deadline": "Friday, July 15, 5:00 PM EDT",
    "days_left": "3", "alert_title": "Human rights first", "action_link": "https://x.org/a/b",
    "org_name": "LAWG", "unsubscribe_link": "https://x.org/u/tok",
    "a_rep_name": "a la Representante Harriet M. Hageman",
    "a_senator_names": "al Senador John Barrasso y a la Senadora Cynthia M. Lummis",
    "a_target_name": "a la Representante Harriet M. Hageman",
}


@pytest.mark.parametrize("name", sorted(CATALOGUE.values()))
def test_every_catalogue_field_is_filled(name):
    template = compile_template(f"<{'[[' + name + ']]'}>", "text")
    assert template.render(VALUES) == f"<{VALUES[name.lower()]}>"


def test_catalogue_is_the_one_the_issue_names():
    """The issue's fields, and the forms of the member fields for Spanish's personal "a"
    (issue 15), each a form of a field of the catalogue."""
    assert set(CATALOGUE.values()) == {
        "First_Name", "Last_Name", "Full_Name", "City", "State", "Zip", "Rep_Name", "Rep_Phone",
        "Senator_Names", "Target_Name", "Deadline", "Days_Left", "Alert_Title", "Action_Link",
        "Org_Name", "Unsubscribe_Link", "A_Rep_Name", "A_Senator_Names", "A_Target_Name"}
    assert FIELD_FORMS == {"a_rep_name": "rep_name", "a_senator_names": "senator_names",
                           "a_target_name": "target_name"}


@pytest.mark.parametrize("written", ["[[first_name]]", "[[FIRST_NAME]]", "[[First_Name]]",
                                     "[[ First_name ]]", "[[fIrSt_NaMe|x]]"])
def test_names_are_case_insensitive(written):
    assert compile_template(written).render({"first_name": "Ana"}) == "Ana"


def test_fallback_is_used_for_missing_and_empty_values():
    template = compile_template("[[First_Name|Friend]], hi [[Last_Name]]!")
    assert template.render({}) == "Friend, hi !"
    assert template.render({"first_name": ""}) == "Friend, hi !"
    assert template.render({"first_name": None}) == "Friend, hi !"
    assert template.render({"first_name": "Ana", "last_name": "Ruiz"}) == "Ana, hi Ruiz!"


def test_fallback_may_hold_spaces_and_punctuation():
    template = compile_template("[[First_Name|dear friend, neighbor]]")
    assert template.render({}) == "dear friend, neighbor"


@pytest.mark.parametrize("text,line,column,reason", [
    ("Hello [[Frist_Name]]", 1, 7, "Unknown merge field"),
    ("ok\n\n  [[Zipcode|x]]", 3, 3, "Unknown merge field"),
    ("[[first name]]", 1, 1, "Malformed merge field"),
    ("[[]]", 1, 1, "Malformed merge field"),
    ("[[First_Name", 1, 1, "Unclosed or nested merge field"),
    ("a [[First_Name|[[Last_Name]]]]", 1, 3, "Unclosed or nested merge field"),
    ("[[ [[First_Name]]", 1, 1, "Unclosed or nested merge field"),
])
def test_bad_fields_are_rejected_with_name_and_position(text, line, column, reason):
    with pytest.raises(MergeFieldError) as error:
        compile_template(text)
    assert (error.value.line, error.value.column) == (line, column)
    assert str(error.value).startswith(reason)
    assert f"line {line}, column {column}" in str(error.value)


def test_unknown_field_error_names_the_field():
    with pytest.raises(MergeFieldError, match=r"\[\[Frist_Name\]\]"):
        compile_template("Hi [[Frist_Name]]")


def test_email_only_field_is_refused_on_pages():
    with pytest.raises(MergeFieldError, match="only in emails"):
        compile_template("[[Unsubscribe_Link]]", allowed=PAGE_FIELDS)
    assert compile_template("[[Unsubscribe_Link]]").render(VALUES) == VALUES["unsubscribe_link"]


def test_stray_closing_brackets_are_plain_text():
    assert compile_template("a ]] b [x]").render({}) == "a ]] b [x]"


def test_html_context_escapes_values_and_fallbacks():
    template = compile_template("<p>[[First_Name|<i>x</i>]]</p>", "html")
    assert template.render({"first_name": "<script>alert(1)</script>"}) == \
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert template.render({}) == "<p>&lt;i&gt;x&lt;/i&gt;</p>"
    assert compile_template("[[Last_Name]]", "html").render({"last_name": "O'Brien & Co"}) == \
        "O&#39;Brien &amp; Co"


def test_text_context_leaves_values_plain():
    template = compile_template("Dear [[Last_Name]]", "text")
    assert template.render({"last_name": "O'Brien <&>"}) == "Dear O'Brien <&>"


def test_header_context_strips_line_breaks():
    template = compile_template("Hi [[First_Name]]", "header")
    assert template.render({"first_name": "Ana\r\nBcc: evil@example.org"}) == \
        "Hi Ana Bcc: evil@example.org"
    assert "\n" not in template.render({"first_name": "a\u2028b\x85c"})


def test_value_holding_brackets_is_never_substituted_again():
    template = compile_template("Hi [[First_Name]] from [[Zip]]")
    assert template.render({"first_name": "[[Zip]]", "zip": "82001"}) == "Hi [[Zip]] from 82001"


def test_organizer_text_is_not_a_template():
    text = "{{ config }} {% for x in y %}{{ 7*7 }}{% endfor %} {0} {} %s ${x} [[First_Name]]"
    assert compile_template(text).render({"first_name": "Ana"}) == \
        "{{ config }} {% for x in y %}{{ 7*7 }}{% endfor %} {0} {} %s ${x} Ana"


@pytest.mark.parametrize("name", ["José", "Nguyễn", "O'Brien", "Zoë-Ann", "李", "محمد"])
def test_non_ascii_names(name):
    assert compile_template("Hola [[First_Name]]!").render({"first_name": name}) == \
        f"Hola {name}!"
    assert compile_template("[[First_Name]]", "html").render({"first_name": name}) == \
        name.replace("'", "&#39;")


def test_a_100_kb_appeal_compiles_and_renders():
    paragraph = "Please call [[Rep_Name|your representative]] today, [[First_Name]]. " * 20
    text = "\n\n".join([paragraph] * 75)
    assert len(text) > 100_000
    template = compile_template(text, "text")
    rendered = template.render({"first_name": "Ana"})
    assert rendered.count("Ana") == 1500
    assert "[[" not in rendered
    html = compile_markdown(text).render({"first_name": "Ana"})
    assert html.count("your representative") == 1500


def test_field_names_lists_what_is_used():
    assert field_names("[[A]] x [[b|c]]") == ["A", "b"]


def test_missing_values_can_be_highlighted():
    template = compile_template("Hi [[First_Name|Friend]]", "html")
    marked = template.render({}, on_missing=lambda key, fallback: f"<mark>{fallback}</mark>")
    assert marked == "Hi <mark>Friend</mark>"


class TestMarkdown:
    def test_markdown_keeps_fields_through_rendering(self):
        html = compile_markdown("**[[First_Name|Friend]]**, _call_ [[Rep_Name]]").render(
            {"rep_name": "Rep. <Hageman>"})
        assert html == "<p><strong>Friend</strong>, <em>call</em> Rep. &lt;Hageman&gt;</p>"

    def test_field_in_a_link_target(self):
        html = compile_markdown("[Act now]([[Action_Link]])").render(
            {"action_link": "https://x.org/a/b?c=1&d=2"})
        assert 'href="https://x.org/a/b?c=1&amp;d=2"' in html

    @pytest.mark.parametrize("payload,forbidden", [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("[x](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<p style="position:fixed;top:0">x</p>', "style="),
        ("<iframe src=//evil.example></iframe>", "<iframe"),
        ('<svg onload="alert(1)">', "onload"),
        ("<style>body{display:none}</style>", "<style"),
        ('<form action="//evil.example"><input name=password></form>', "<form"),
    ])
    def test_dangerous_markup_never_survives(self, payload, forbidden):
        html = compile_markdown(f"Hello [[First_Name]] {payload}").render({"first_name": "A"})
        assert forbidden not in html.lower()

    def test_field_as_link_text(self):
        html = compile_markdown("[[[Org_Name]]](https://x.org) [[[Zip]]]").render(
            {"org_name": "LAWG", "zip": "82001"})
        assert html == '<p><a href="https://x.org" rel="noopener noreferrer nofollow">LAWG</a>' \
            " [82001]</p>"

    def test_text_that_looks_like_a_placeholder_is_left_alone(self):
        html = compile_markdown("mergefield0x mf123n0x [[Zip]]").render({"zip": "1"})
        assert html == "<p>mergefield0x mf123n0x 1</p>"

    def test_unknown_field_position_points_into_the_source(self):
        with pytest.raises(MergeFieldError) as error:
            compile_markdown("# Title\n\nHello **[[Frist]]**")
        assert (error.value.line, error.value.column) == (3, 9)


def test_the_organizations_default_fills_a_field_without_a_fallback_of_its_own():
    """Issue 12, item 4: a field with no value and no |fallback read as nothing."""
    template = compile_template("[[First_Name]], [[First_Name|pal]], [[City]].", "html")
    defaults = {"first_name": "Friend & co"}
    assert template.render({}, defaults=defaults) == "Friend &amp; co, pal, ."
    assert template.render({"first_name": "Ana"}, defaults=defaults) == "Ana, Ana, ."
    header = compile_template("[[First_Name]]!", "header")
    assert header.render({}, defaults={"first_name": "A\r\nBcc: x"}) == "A Bcc: x!"
    marked = template.render({}, on_missing=lambda key, fallback: f"<{fallback}>",
                             defaults=defaults)
    assert marked == "<Friend &amp; co>, <pal>, <>."
