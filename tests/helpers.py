"""Helpers that read pages as a browser would: find a form and fill it in."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._current = {"action": attributes.get("action"), "fields": {}}
            self.forms.append(self._current)
        elif tag in {"input", "textarea", "select"} and self._current is not None:
            name = attributes.get("name")
            if not name or attributes.get("type") in {"radio", "checkbox", "submit"}:
                return
            self._current["fields"][name] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_on(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_for(html: str, *, containing: str | None = None, action: str | None = None) -> dict:
    """The first form with a field named `containing`, or posting to `action`."""
    for form in forms_on(html):
        if containing is not None and containing in form["fields"]:
            return form
        if action is not None and form["action"] == action:
            return form
    raise AssertionError(f"no form with {containing or action} on the page")


def submit_form(client, url: str, values: dict, *, field: str | None = None, drop=()):
    """GET `url`, take its form's hidden fields (CSRF…), fill in `values`, POST it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    form = form_for(page.text, containing=field or next(iter(values)))
    data = {**form["fields"], **values}
    for name in drop:
        data.pop(name, None)
    return client.post(form["action"] or url, data=data)
