"""The merge engine's smaller rules, each stated once (issue 21: the test names the mutants
of text/merge.py it kills, as bench/mutation.py lists them)."""

import pytest

from campaign_app.text.merge import (
    PAGE_FIELDS,
    REASONS,
    FieldUse,
    MergeFieldError,
    blank_fields,
    compile_template,
    field_uses,
    position,
)


def test_field_uses_give_key_as_written_fallback_and_place():
    """Every field with its lower-case key, the text as written, its own fallback ("" when
    none), and its 1-based line and column (kills field_uses_1 to _27)."""
    text = "Dear [[First_Name|friend]],\n\n[[CITY]] and [[ Zip ]]"
    assert field_uses(text) == [
        FieldUse("first_name", "[[First_Name|friend]]", "friend", 1, 6),
        FieldUse("city", "[[CITY]]", "", 3, 1),
        FieldUse("zip", "[[ Zip ]]", "", 3, 14),
    ]
    assert field_uses("no fields") == []


def test_blank_fields_keep_every_position():
    """Each field becomes as many spaces as it was long, the prose around it stays
    (kills blank_fields_1 to _7)."""
    assert blank_fields("Hi [[First_Name|x]]!\n[[City]].") == \
        "Hi " + " " * 16 + "!\n" + " " * 8 + "."


@pytest.mark.parametrize("text,offset,place", [
    ("ab\ncd", 1, (1, 2)),  # newlines after the offset do not count
    ("\nab", 1, (2, 1)),  # a newline at the very start does
    ("\nab", 2, (2, 2)),
    ("a\nb\ncd", 5, (3, 2)),
])
def test_position_counts_only_the_text_before_the_offset(text, offset, place):
    """Line and column from the text before `offset`, from its very first character
    (kills position_5, _8, _10, _18, _21, _24)."""
    assert position(text, offset) == place


def test_merge_field_error_says_reason_field_and_place():
    """The message reads reason, the field (or what `shown` says), line and column
    (kills MergeFieldError.__init__'s mutants)."""
    error = MergeFieldError("Frist_Name", 2, 7)
    assert (error.name, error.line, error.column, error.reason) == \
        ("Frist_Name", 2, 7, "Unknown merge field")
    assert str(error) == "Unknown merge field [[Frist_Name]] at line 2, column 7"
    assert str(MergeFieldError("x", 1, 1, "Bad", shown="“x”")) == "Bad “x” at line 1, column 1"


@pytest.mark.parametrize("text,allowed,message", [
    ("[[Unsubscribe_Link]]", {"first_name": "First_Name"},
     "This merge field works only in emails [[Unsubscribe_Link]] at line 1, column 1"),
    ("x [[First_Name]]", {"city": "City"},
     "This merge field can't be used here [[First_Name]] at line 1, column 3"),
    ("[[Nope]]", None, "Unknown merge field [[Nope]] at line 1, column 1"),
])
def test_each_refusal_gives_its_own_reason(text, allowed, message):
    """Email-only, not allowed here, unknown: three reasons, word for word (kills
    compile_template_56, _57, _60, _62, _63, _64)."""
    with pytest.raises(MergeFieldError) as error:
        compile_template(text, allowed=allowed)
    assert str(error.value) == message


def test_malformed_field_error_names_the_field_as_written():
    """Kills compile_template_34 (the name dropped)."""
    with pytest.raises(MergeFieldError) as error:
        compile_template("[[first name]]")
    assert error.value.name == "first name"


@pytest.mark.parametrize("text,snippet,column", [
    ("Dear [[First Name is long and goes on and on", "[[First Name is long and goes ", 6),
    ("Hi [[ab\ncd\nef", "[[ab", 4),
    ("Hi [[a and [[b", "[[a and [[b", 4),
])
def test_unclosed_field_error_shows_the_first_30_characters_of_its_line(text, snippet,
                                                                         column):
    """An unclosed field is shown from its first `[[`, at most 30 characters, up to the
    line's end; its name is that without the brackets (kills _check_unclosed_8, _19, _23 to
    _26, _29, _33, _38, _40, _41)."""
    with pytest.raises(MergeFieldError) as error:
        compile_template(text)
    assert str(error.value) == \
        f"Unclosed or nested merge field “{snippet}” at line 1, column {column}"
    assert error.value.name == snippet[2:]


def test_template_lists_its_fields_and_escapes_its_literal_text_when_asked():
    """Kills MergeTemplate.__init___25 (fields) and compile_template_9 (literal_escape)."""
    template = compile_template("a < b [[First_Name]] [[City|here]]", "html",
                                literal_escape=True)
    assert template.fields == {"first_name", "city"}
    assert template.render({"first_name": "Ana"}) == "a &lt; b Ana here"


@pytest.mark.parametrize("context", ["html", "header", "text"])
def test_non_string_values_are_written_as_text_in_every_context(context):
    """A count (days left) is rendered as its digits (kills render_29, _30, _31)."""
    assert compile_template("[[Days_Left]] days", context).render({"days_left": 3}) == "3 days"


def test_missing_value_handler_is_told_the_key():
    """Kills render_22 (the key not passed)."""
    seen = []
    template = compile_template("[[First_Name|friend]]")
    assert template.render({}, on_missing=lambda key, fb: seen.append(key) or fb) == "friend"
    assert seen == ["first_name"]


@pytest.mark.parametrize("text,allowed,code,params", [
    ("Hi [[Nope]]", None, "unknown", {"field": "[[Nope]]", "line": 1, "column": 4}),
    ("[[first name]]", None, "malformed", {"field": "[[first name]]", "line": 1, "column": 1}),
    ("\n[[Unsubscribe_Link]]", PAGE_FIELDS, "email_only",
     {"field": "[[Unsubscribe_Link]]", "line": 2, "column": 1}),
    ("x [[First_Name]]", {"city": "City"}, "not_here",
     {"field": "[[First_Name]]", "line": 1, "column": 3}),
    ("a [[b", None, "unclosed", {"field": "“[[b”", "line": 1, "column": 3}),
])
def test_each_refusal_carries_its_message_key_and_values(text, allowed, code, params):
    """The text layer has no gettext (it sits below i18n): a page words the refusal from its
    key and values, in its language (issue 15; alerts.texts.merge_field_message)."""
    with pytest.raises(MergeFieldError) as error:
        compile_template(text, allowed=allowed)
    assert (error.value.code, error.value.params) == (code, params)
    assert error.value.reason == REASONS[code]
