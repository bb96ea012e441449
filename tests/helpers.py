"""Helpers that read pages as a browser would: find a form and fill it in."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    """Collects each form's fields as a browser would submit them, untouched."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None
        self._select = None  # (name, is_multiple, first option value, any selected)
        self._textarea = None

    def _add(self, name, value, multiple=False):
        fields = self._current["fields"]
        if multiple:
            fields.setdefault(name, [])
            if value is not None:
                fields[name].append(value)
        else:
            fields[name] = value

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "form":
            self._current = {"action": attributes.get("action"), "fields": {}}
            self.forms.append(self._current)
        elif self._current is None or (tag != "option" and not name):
            return
        elif tag == "input":
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    value = attributes.get("value") or "on"
                    self._add(name, value, multiple=kind == "checkbox")
                return
            self._add(name, attributes.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")
        elif tag == "select":
            multiple = "multiple" in attributes
            self._select = [name, multiple, None, False]
            if multiple:
                self._add(name, None, multiple=True)
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in attributes:
                self._select[3] = True
                self._add(self._select[0], value, multiple=self._select[1])

    def handle_data(self, data):
        if self._textarea is not None:
            self._current["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._current["fields"][self._textarea]
            # Browsers drop the one newline that follows <textarea>.
            self._current["fields"][self._textarea] = value.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple, first, selected = self._select
            if not multiple and not selected and first is not None:
                self._add(name, first)
            self._select = None


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
