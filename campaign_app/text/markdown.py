"""Organizer Markdown → sanitized HTML, with merge fields kept as fields through the process."""

import re
import secrets
from collections.abc import Callable

import markdown as markdown_lib
import nh3
from markupsafe import Markup

from .merge import _FIELD, MergeTemplate, compile_template

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "h2", "h3", "h4",
    "hr", "code", "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _markdown_to_safe_html(source: str) -> str:
    html = markdown_lib.markdown(source, extensions=["sane_lists"], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")


def render_markdown(source: str | None) -> Markup:
    """Markdown without merge fields (thank-you text, staff notes) → safe HTML."""
    return Markup(_markdown_to_safe_html(source or ""))  # noqa: S704 - sanitized by nh3


def compile_markdown(source: str, *, allowed: dict[str, str] | None = None) -> MergeTemplate:
    """Markdown with merge fields → a compiled HTML template; values are HTML-escaped at
    render time."""
    compile_template(source, "html", allowed=allowed)  # errors point into the source text
    html = with_fields_hidden(source, _markdown_to_safe_html)
    # A placeholder that Markdown or the sanitizer dropped (e.g. inside a removed attribute)
    # simply disappears with it; what remains compiles as HTML with escaped values.
    return compile_template(html, "html", allowed=allowed)


def with_fields_hidden(source: str, transform: Callable[[str], str]) -> str:
    """`transform(source)` with every merge field kept as written.

    Fields are swapped for inert placeholders before the transform (Markdown, sanitizing), so
    that it cannot mangle them, then swapped back.
    """
    fields: list[str] = []
    nonce = secrets.token_hex(6)
    while nonce in source:
        nonce = secrets.token_hex(6)

    def hide(match: re.Match) -> str:
        fields.append(match.group(0))
        return f"mf{nonce}n{len(fields) - 1}x"

    transformed = transform(_FIELD.sub(hide, source))
    return re.sub(rf"mf{nonce}n(\d+)x", lambda m: fields[int(m.group(1))], transformed)
