"""The embed in Chromium across two origins (issue 17): an organization's page on
http://127.0.0.2:<port> embeds the alert from http://127.0.0.1:<port>, with third-party
cookies blocked; the supporter acts inside the frame from the form to the thank-you page."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from campaign_app.actions.models import Action
from campaign_app.alerts.queries import get_alert_by_slug
from campaign_app.core.db import db
from campaign_app.embeds.operations import update_embed_settings
from campaign_app.supporters.models import Supporter
from tests.browser_checks import serious_violations
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import add_alert

pytestmark = [pytest.mark.full_data, pytest.mark.e2e]

#: The embed's own bytes (HTML of each page, the stylesheets and both scripts) stay under
#: this, as every action page's.
EMBED_BUDGET = 60 * 1024

#: The host page's listener: what a site does to count actions in its own analytics.
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Our blog</title></head>
<body><h1>Stop the cuts</h1><p>Please call your member of Congress today.</p>
<a class="alerta-embed" href="{app}/a/{slug}">Take action</a>
<script src="{app}/embed.js" data-alert="{slug}" async></script>
<script src="/host.js"></script>
</body></html>"""
HOST_SCRIPT = """window.alertaMessages = [];
window.frameHeights = [];
window.addEventListener("message", function (event) {
  if (event.origin === "{app}" && event.data && event.data.type === "alerta:action") {
    window.alertaMessages.push(JSON.stringify(event.data));
  }
});
new MutationObserver(function () {
  var frame = document.querySelector("iframe");
  if (frame) { window.frameHeights.push(frame.style.height); }
}).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["style"]});
"""


@contextmanager
def host_site(address: str, app_url: str, slug: str):
    """The organization's site: one page with the snippet, and its own script."""
    page = HOST_PAGE.format(app=app_url, slug=slug).encode()
    script = HOST_SCRIPT.replace("{app}", app_url).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body, kind = (script, "text/javascript") if self.path == "/host.js" \
                else (page, "text/html; charset=utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((address, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{address}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def strict_browser(browser):
    """Chromium that blocks third-party cookies, as Safari and Firefox do by default: a
    second browser of the session's Playwright (one Playwright per process)."""
    strict = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"])
    yield strict
    strict.close()


def _alert(app, **overrides):
    with app.app_context():
        alert = add_alert(**overrides)
        return alert.slug


def _allow(app, slug: str, origins: list[str]) -> None:
    """The organizer lists the sites, as the staff page does."""
    with app.app_context():
        update_embed_settings(get_alert_by_slug(slug), origins=origins, style={})
        db.session.commit()


def _count(app, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Action).where(*where))


def test_the_whole_action_inside_the_frame_on_another_site(app, full_data, committed_data,
                                                           live_server, strict_browser):
    slug = _alert(app)
    with host_site("127.0.0.2", live_server, slug) as host:
        _allow(app, slug, [host])
        context = strict_browser.new_context(viewport={"width": 800, "height": 900})
        page = context.new_page()
        sizes, policies = {}, []

        def _seen(response):
            kind = response.request.resource_type
            if response.url.startswith(live_server) and response.status == 200 and \
                    kind in ("document", "stylesheet", "script"):
                sizes.setdefault(kind, {})[response.url] = len(response.body())
                if kind == "document":
                    policies.append(response.headers.get("content-security-policy", ""))

        page.on("response", _seen)
        page.goto(host)
        frame_element = page.wait_for_selector("iframe.alerta-frame")
        frame = frame_element.content_frame()
        frame.wait_for_selector("#email")
        assert page.locator("a.alerta-embed").count() == 0  # the fallback link gave way

        # Cookies are blocked in the frame: one written there does not stick.
        assert frame.evaluate("document.cookie = 'probe=1'; document.cookie") == ""
        assert serious_violations(frame) == []
        page.wait_for_function("window.frameHeights.length > 0")
        form_height = int(frame_element.evaluate("f => f.getBoundingClientRect().height"))

        frame.fill("#first_name", "Ana")
        frame.fill("#last_name", "Gómez")
        frame.fill("#email", "ana@example.org")
        frame.fill("#zip_code", "82001")
        frame.click("form.action-form button[type=submit]")
        frame.wait_for_selector("section.target")
        assert serious_violations(frame) == []
        # The call page is longer than the form: the frame grew to show all of it.
        page.wait_for_function(
            f"document.querySelector('iframe').getBoundingClientRect().height > {form_height}")
        content = frame.evaluate("document.body.getBoundingClientRect().height")
        height = frame_element.evaluate("f => f.getBoundingClientRect().height")
        assert abs(height - content) < 40, (height, content)

        card = frame.locator("section.target").first
        card.locator("input[value=talked]").check()
        card.locator("button[type=submit]").click()
        frame.wait_for_selector("#done-summary")
        page.wait_for_function("window.alertaMessages.length >= 1")

        frame.fill("#street", "2020 Carey Ave")
        frame.fill("#city", "Cheyenne")
        frame.fill("#phone", "307-555-0100")
        frame.click("section.email button[type=submit]")
        frame.click("#done-summary a")  # Finish
        frame.wait_for_selector("ul.share, a.share-bluesky")
        assert serious_violations(frame) == []

        messages = page.evaluate("window.alertaMessages")
        assert messages[0] == '{"type":"alerta:action","kind":"call"}'
        assert '{"type":"alerta:action","kind":"email"}' in messages
        assert _count(app, Action.kind == "call") == 1
        assert _count(app, Action.kind == "email") == 3
        assert _count(app, Action.source_code == host) == 4
        with app.app_context():
            assert db.session.scalar(select(Supporter.source_code)) == host
        # Nothing was kept in cookies for Alerta's site.
        assert [c for c in context.cookies() if c["domain"] == "127.0.0.1"] == []
        # Every embedded page allowed this site alone to frame it.
        assert policies and all(f"frame-ancestors {host};" in p for p in policies)
        # The heaviest page with everything it loads (stylesheets, both scripts).
        weight = max(sizes["document"].values()) + sum(sizes["stylesheet"].values()) + \
            sum(sizes["script"].values())
        assert len(sizes["script"]) == 2 and weight < EMBED_BUDGET, sizes
        context.close()


def test_a_site_not_on_the_list_gets_the_frame_refused(app, full_data, committed_data,
                                                       live_server, strict_browser):
    slug = _alert(app, embed_origins="https://blog.example.org")
    with host_site("127.0.0.2", live_server, slug) as host:
        context = strict_browser.new_context()
        page = context.new_page()
        policies = []
        page.on("response", lambda r: policies.append(
            r.headers.get("content-security-policy", ""))
            if r.url.startswith(f"{live_server}/a/{slug}?") else None)
        page.goto(host)
        page.wait_for_selector("iframe.alerta-frame")
        page.wait_for_timeout(1500)
        framed = [frame for frame in page.frames if frame != page.main_frame]
        assert framed, "the iframe exists"
        # The browser refused to render our page inside it: no form, not our address.
        for frame in framed:
            assert not frame.url.startswith(live_server) or \
                frame.locator("#email").count() == 0
        assert policies and all("frame-ancestors https://blog.example.org;" in p
                                for p in policies)
        assert all(host not in p for p in policies)
        assert _count(app) == 0
        context.close()
