"""Organizer Markdown → readable plain text, for the text part of emails.

The Markdown goes through the same rendering and sanitizing as the HTML part, then the HTML is
written out as text a person reads in any mail client: paragraphs apart, "- " and "1. " list
items, "> " quotes, and links as "text: URL" (the URL alone when it is its own text), so that
`[Take action now](https://…)` never reaches a supporter as written.
"""

import re
from html.parser import HTMLParser

from .markdown import _markdown_to_safe_html, with_fields_hidden
from .merge import MergeTemplate, compile_template

_BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "pre", "hr"}
_SPACES = re.compile(r"\s+")
#: Stands for a <br> while white space is collapsed.
_BREAK = "\x00"


class _TextWriter(HTMLParser):
    """Sanitized Markdown HTML (markdown.ALLOWED_TAGS) → text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        #: Finished paragraphs, list items, quotes…, each with the number of the (outermost)
        #: list it is an item of, or None.
        self.blocks: list[tuple[str, int | None]] = []
        self.list_count = 0
        self.line: list[str] = []  # inline text of the block being read
        self.lists: list[list] = []  # per open list: [ordered?, next number]
        self.quote_depth = 0
        self.pre_depth = 0
        self.links: list[tuple[str, int]] = []  # (href, where its text starts in self.line)
        self.prefix = ""  # "- " or "1. " for the list item being read

    def _flush(self):
        text = "".join(self.line)
        self.line = []
        if not self.pre_depth:
            text = _SPACES.sub(" ", text).replace(f" {_BREAK}", _BREAK).strip()
        text = text.replace(_BREAK, "\n")
        if not text.strip():
            return
        indent = "  " * max(len(self.lists) - 1, 0)
        lines = text.split("\n")
        first, rest = indent + self.prefix + lines[0], lines[1:]
        hanging = indent + " " * len(self.prefix)
        text = "\n".join([first, *(hanging + line.strip() for line in rest)])
        in_list, self.prefix = (self.list_count if self.prefix else None), ""
        if self.quote_depth:
            text = "\n".join("> " * self.quote_depth + line for line in text.split("\n"))
        self.blocks.append((text, in_list))

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol"):
            self.list_count += not self.lists
            self.lists.append([tag == "ol", 1])
        elif tag == "li" and self.lists:
            ordered = self.lists[-1]
            self.prefix = f"{ordered[1]}. " if ordered[0] else "- "
            ordered[1] += 1
        elif tag == "blockquote":
            self.quote_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "hr":
            self.blocks.append(("----", None))
        elif tag == "br":
            self.line.append(_BREAK)
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.line)))

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            text = _SPACES.sub(" ", "".join(self.line[start:])).strip()
            shown = href.removeprefix("mailto:").removeprefix("tel:")
            if href and text not in (href, shown):
                self.line.append(f": {shown}" if text else shown)
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote_depth = max(self.quote_depth - 1, 0)
        elif tag == "pre":
            self.pre_depth = max(self.pre_depth - 1, 0)

    def handle_data(self, data):
        self.line.append(data)

    def text(self) -> str:
        self._flush()
        parts = []
        for index, (text, in_list) in enumerate(self.blocks):
            if index:
                # The items of a list stand on consecutive lines; everything else apart.
                tight = in_list is not None and in_list == self.blocks[index - 1][1]
                parts.append("\n" if tight else "\n\n")
            parts.append(text)
        return "".join(parts)


def _html_to_text(html: str) -> str:
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()


def markdown_to_text(source: str | None) -> str:
    """Markdown without merge fields → plain text."""
    return _html_to_text(_markdown_to_safe_html(source or ""))


def compile_markdown_text(source: str, *, allowed: dict[str, str] | None = None
                          ) -> MergeTemplate:
    """Markdown with merge fields → a compiled plain-text template (values left plain)."""
    compile_template(source, "text", allowed=allowed)  # errors point into the source text
    text = with_fields_hidden(source, lambda hidden: markdown_to_text(hidden))
    return compile_template(text, "text", allowed=allowed)
