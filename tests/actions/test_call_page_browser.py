"""The call page in Chromium: each card's labels reach its own fields (issue 12 item 6), and a
form sent with errors puts the focus on its error summary (item 11)."""

import pytest

from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.core.db import db

pytestmark = [pytest.mark.full_data, pytest.mark.e2e, pytest.mark.browser]

#: Ids that occur more than once in the page.
DUPLICATE_IDS = """() => {
  const seen = {};
  document.querySelectorAll('[id]').forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
  return Object.keys(seen).filter(id => seen[id] > 1);
}"""
#: Which card (0, 1, 2 …) holds the focused element; -1 for none.
FOCUSED_CARD = """() => Array.prototype.indexOf.call(document.querySelectorAll('section.target'),
  document.activeElement.closest('section.target'))"""


@pytest.fixture
def call_page(app, full_data, committed_data, live_server, browser):
    """Ana (82001: a representative and two senators) on the call page of an alert with calls,
    email and the letter, so every form of the page is there."""
    with app.app_context():
        alert = create_alert({**demo_alert_data(), "slug": "call-page-browser",
                              "channels": ["call", "email", "signon"]})
        db.session.commit()
        slug = alert.slug
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server}/a/{slug}")
    page.fill("#first_name", "Ana")
    page.fill("#last_name", "Gómez")
    page.fill("#email", "ana@example.org")
    page.fill("#zip_code", "82001")
    page.click("form.action-form button[type=submit]")
    assert page.url.endswith(f"/a/{slug}/call")
    yield page
    context.close()


def test_a_label_on_the_third_card_focuses_the_third_cards_field(call_page):
    """Issue 12 item 6: every card repeated id="note" (and outcome-0…3, csrf_token …), so the
    third card's "Anything to tell us?" focused the first card's box."""
    page = call_page
    cards = page.locator("section.target")
    assert cards.count() == 3
    assert page.evaluate(DUPLICATE_IDS) == []

    third = cards.nth(2)
    third.get_by_text("Anything to tell us?").click()
    assert page.evaluate(FOCUSED_CARD) == 2
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type("Spoke with the scheduler")
    third.get_by_text("Left a voicemail").click()
    third.locator("button[type=submit]").click()
    # The report went to the third card's member, with the note typed into its box.
    assert "Reported: Left a voicemail." in page.locator("section.target").nth(2).inner_text()
    assert "Reported:" not in page.locator("section.target").nth(0).inner_text()
    assert page.evaluate(DUPLICATE_IDS) == []


def test_a_form_with_errors_puts_the_focus_on_its_error_summary(call_page):
    """Issue 12 item 11 (WCAG 3.3.1): after a refused form the focus is on the summary of
    what to fix, in the form that was sent."""
    page = call_page
    page.locator("section.target").nth(2).locator("button[type=submit]").click()  # no outcome
    assert "Please choose how the call went." in page.content()
    # The browser moves the focus to an autofocus element at its next rendering step, which
    # can come after the load event on a busy machine: wait for it (up to 5 s).
    page.wait_for_function("document.activeElement.className === 'error-summary'",
                           timeout=5000)
    assert page.evaluate(FOCUSED_CARD) == 2
    assert "Please choose how the call went." in page.evaluate(
        "document.activeElement.innerText")
