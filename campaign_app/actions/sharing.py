"""Share links for the thank-you page, each carrying the supporter's referral code."""

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from flask import url_for
from flask_babel import gettext as _

from ..alerts.models import Alert
from ..alerts.translations import text_in
from ..core.tokensession import PARAM as EMBED_PARAM


def with_referral(url: str, code: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "r"] + [("r", code)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def share_links(alert: Alert, code: str | None) -> list[dict]:
    """(network, label, href) for Facebook, X, Bluesky, WhatsApp and email."""
    url = alert.share_url or url_for("actions.alert_page", slug=alert.slug, _external=True,
                                         # never the embedded visit's token
                                         **{EMBED_PARAM: None})
    if code:
        url = with_referral(url, code)
    title = text_in(alert, "title")
    text = text_in(alert, "share_text") or title
    both = f"{text} {url}"
    return [
        {"network": "facebook", "label": _("Share on Facebook"),
         "href": f"https://www.facebook.com/sharer/sharer.php?u={quote(url, safe='')}"},
        {"network": "x", "label": _("Post on X"),
         "href": f"https://x.com/intent/post?text={quote(text, safe='')}"
                 f"&url={quote(url, safe='')}"},
        {"network": "bluesky", "label": _("Post on Bluesky"),
         "href": f"https://bsky.app/intent/compose?text={quote(both, safe='')}"},
        {"network": "whatsapp", "label": _("Send on WhatsApp"),
         "href": f"https://wa.me/?text={quote(both, safe='')}"},
        {"network": "email", "label": _("Send by email"),
         "href": f"mailto:?subject={quote(title, safe='')}&body={quote(both, safe='')}"},
    ]
