"""Every staff page is reached by clicking from /staff/ (issue 12, item 12): a crawler follows
the links an admin sees and must arrive at every staff route of the URL map."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from campaign_app.exports.queries import EXPORTS
from tests.helpers import submit_form
from tests.staff_world import build_staff_world, logged_in_client

pytestmark = pytest.mark.full_data

#: More pages than the crawl can meet, so a link loop fails the test instead of hanging.
MAX_PAGES = 500


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _staff_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        parts = urlsplit(urldefrag(href).url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/staff/"):
            continue  # the public pages, other sites
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _crawl(client, start: str = "/staff/") -> set[str]:
    """The paths of every page reached from `start` by following links (GET only)."""
    seen, queue, reached = {start}, deque([start]), set()
    while queue:
        assert len(seen) < MAX_PAGES, "the crawl does not end"
        url = queue.popleft()
        response = client.get(url)
        body = response.get_data()  # a download streams until read to its end
        response.close()
        assert response.status_code == 200, (url, response.status_code)
        reached.add(urlsplit(url).path)
        if response.mimetype != "text/html":
            continue
        for link in _staff_links(body.decode()):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return reached


def _page(adapter, path: str) -> tuple:
    """What a path shows: its endpoint and values (two rules of one endpoint, one page)."""
    endpoint, values = adapter.match(path, method="GET")
    return endpoint, tuple(sorted(values.items()))


def _staff_pages(app, world) -> dict[tuple, str]:
    """Page → path of every GET staff route, with the world's ids and slugs filled in."""
    values = {"alert_id": [world.alert_id], "slug": [world.slug],
              "mailing_id": [world.mailing_id], "revision_id": [world.revision_id],
              "name": list(EXPORTS), "bioguide_id": list(world.offices),
              # the alert's texts in another language (issue 15): linked from the editor
              "language": ["es"],
              "endpoint_id": [world.webhook_endpoint_id],
              "supporter_id": [world.supporter_id]}
    adapter = app.url_map.bind("localhost")
    pages = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff/") or "GET" not in rule.methods:
            continue
        unknown = rule.arguments - set(values)
        assert not unknown, f"{rule.rule}: give the test a value for {sorted(unknown)}"
        combinations = [{}]
        for argument in sorted(rule.arguments):
            combinations = [{**c, argument: value} for c in combinations
                            for value in values[argument]]
        for combination in combinations:
            path = rule.build(combination)[1]
            pages[_page(adapter, path)] = path
    return pages


def test_every_staff_page_is_reached_by_clicking_from_the_staff_home(app, committed_data,
                                                                     full_data):
    """Issue 12, item 12: before, an alert's mailings (and each mailing) were reached only
    by typing their address."""
    world = build_staff_world(app)
    client = logged_in_client(app)
    pages = _staff_pages(app, world)
    assert {"mailings.alert_mailings", "mailings.mailing"} <= {page[0] for page in pages}
    adapter = app.url_map.bind("localhost")
    # A supporter's page is found by their email, sent in a form (never in a link or URL):
    # the crawl goes on from where the search leads.
    found = submit_form(client, "/staff/supporters/", {"email": "ana.world@example.org"})
    assert found.status_code == 302
    reached = {_page(adapter, path)
               for path in _crawl(client) | _crawl(client, urlsplit(found.location).path)}
    missing = sorted(path for page, path in pages.items() if page not in reached)
    assert missing == []


def test_staff_alerts_leads_to_the_list_of_alerts(app, committed_data, full_data):
    """Issue 12, item 12: /staff/alerts/ was a 404."""
    build_staff_world(app)
    client = logged_in_client(app)
    page = client.get("/staff/alerts/")
    assert page.status_code == 200 and "<h1>Alerts</h1>" in page.text
    assert "/staff/alerts/staff-world" in page.text
