"""What every supporter-facing page must pass in the browser tests (issue 5): light enough
for a phone, and no serious or critical axe-core violations."""

#: HTML + CSS of an action page.
PAGE_BUDGET = 60 * 1024


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, as 'rule: help' lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def page_weight(page):
    """Start counting the HTML and CSS the page loads; call the result for the bytes of the
    action pages (/a/…) and stylesheets so far."""
    sizes = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()))
            if r.request.resource_type in ("document", "stylesheet") else None)
    return lambda: sum(size for url, size in sizes.items()
                       if "/a/" in url or url.endswith(".css"))
