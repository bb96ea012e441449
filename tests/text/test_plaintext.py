"""Organizer Markdown as the plain text of an email (issue 12, item 15)."""

import pytest

from campaign_app.text.merge import CATALOGUE, MergeFieldError
from campaign_app.text.plaintext import compile_markdown_text, markdown_to_text


@pytest.mark.parametrize(("source", "expected"), [
    ("[Take action now](https://example.org/a/x)", "Take action now: https://example.org/a/x"),
    ("See <https://example.org/letter>.", "See https://example.org/letter."),
    ("[https://example.org](https://example.org)", "https://example.org"),
    ("Write [to us](mailto:info@example.org).", "Write to us: info@example.org."),
    ("**Bold**, *em* and `code`", "Bold, em and code"),
    ("Fish &amp; chips & more", "Fish & chips & more"),
    ("## Why it matters\n\nBecause.", "Why it matters\n\nBecause."),
    ("- one\n- two\n\n1. first\n2. second",
     "- one\n- two\n\n1. first\n2. second"),
    ("- outer\n    - inner\n- again", "- outer\n  - inner\n- again"),
    ("> quoted\n> text", "> quoted text"),
    ("Line one  \nline two", "Line one\nline two"),
    ("above\n\n---\n\nbelow", "above\n\n----\n\nbelow"),
    ("<b>allowed</b> <script>alert(1)</script>gone", "allowed gone"),
])
def test_markdown_reads_as_plain_text(source, expected):
    assert markdown_to_text(source) == expected


def test_fields_survive_in_link_targets_and_text_and_stay_plain():
    template = compile_markdown_text(
        "[[First_Name|Friend]], **please** [call now]([[Action_Link]]).\n\n"
        "[Unsubscribe]([[Unsubscribe_Link]])", allowed=CATALOGUE)
    text = template.render({"first_name": "Ana <b>&", "action_link": "https://x.org/a?t=1&u=2",
                            "unsubscribe_link": "https://x.org/u/9"})
    assert text == ("Ana <b>&, please call now: https://x.org/a?t=1&u=2.\n\n"
                    "Unsubscribe: https://x.org/u/9")
    assert template.render({"action_link": "https://x.org/a"}).startswith("Friend, please")


def test_unknown_fields_are_still_refused_with_their_place():
    with pytest.raises(MergeFieldError, match="Frist_Name"):
        compile_markdown_text("Hello [[Frist_Name]]", allowed=CATALOGUE)
