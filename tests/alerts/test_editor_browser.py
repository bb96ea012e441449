"""In a real browser: an organizer creates the reference alert, previews it as Ana, publishes
it, and opens the public page."""

import pytest

from campaign_app.auth.operations import create_user
from campaign_app.core.db import db

pytestmark = [pytest.mark.full_data, pytest.mark.e2e]


def test_organizer_builds_previews_and_publishes_the_reference_alert(
        app, full_data, committed_data, live_server, browser, tmp_path):
    with app.app_context():
        create_user("organizer@example.org", "correct horse battery", "organizer")
        db.session.commit()
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server}/staff/")
    page.fill("#email", "organizer@example.org")
    page.fill("#password", "correct horse battery")
    page.click("button[type=submit]")
    page.click("text=New alert")

    page.fill("#title", "Put human rights first with Mexico")
    page.fill("#appeal", "[[First_Name|Friend]], can you take five minutes today to contact "
                         "your member of the House?\n\nLast year's letter reached **82** "
                         "signers.")
    page.check("input[name=channels][value=call]")
    page.check("input[name=target_rule][value=house]")
    page.fill("#call_script", "Hello, my name is [[First_Name]] from [[Zip]]. Please ask "
                              "[[Target_Name]] to sign the Dear Colleague letter on human "
                              "rights in Mexico before [[Deadline]].")
    page.fill("#deadline_date", "2099-07-17")
    page.fill("#deadline_time", "17:00")
    page.select_option("#time_zone", "America/New_York")
    page.fill("#reminder_offsets", "48, 3")
    page.fill("#thank_you_text", "Thank you, [[First_Name|friend]]! Now share it.")
    page.fill("#share_text", "I called Congress for human rights in Mexico. Will you?")
    page.fill("#share_url", "https://example.org/mexico")
    page.fill("#signon_goal", "83")
    page.fill("#previous_signon_count", "82")
    page.fill("#alert_email_subject", "[[First_Name|Friend]], five minutes today?")
    page.fill("#alert_email_body", "Please [call now]([[Action_Link]]). "
                                   "[Unsubscribe]([[Unsubscribe_Link]])")
    page.click("form.alert-form button[type=submit]")
    assert "Alert saved as a draft" in page.content()
    assert page.locator(".status").inner_text().lower() == "draft"

    page.click("text=Preview as a supporter")
    page.fill("#first_name", "Ana")
    page.fill("#zip_code", "82001")
    page.click("form.preview-form button[type=submit]")
    preview = page.content()
    assert "Ana, can you take five minutes today" in preview
    assert "Hello, my name is Ana from 82001" in preview
    assert "Rep. Harriet M. Hageman" in preview
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)

    page.click("text=Back to the editor")
    page.click("button:has-text('Publish')")
    assert "is live at /a/put-human-rights-first-with-mexico" in page.content()

    public = browser.new_page(viewport={"width": 360, "height": 800})
    public.goto(f"{live_server}/a/put-human-rights-first-with-mexico")
    assert public.locator("h1").inner_text() == "Put human rights first with Mexico"
    assert "Friend, can you take five minutes today" in public.content()
    assert "Friday, July 17, 5:00 PM EDT" in public.content()
    public.fill("#first_name", "Ana")
    public.fill("#last_name", "Gómez")
    public.fill("#email", "ana@example.org")
    public.fill("#zip_code", "82001")
    public.click("button[type=submit]")
    assert "Hello, my name is Ana from 82001" in public.content()
    assert public.locator("a[href='tel:+12022252311']").count() == 1
    public.close()
    page.close()
