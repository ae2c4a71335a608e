"""Markdown to safe HTML for guidelines (pure: no Django).

CommonMark plus tables and strikethrough, parsed by markdown-it-py, whose parser is designed
to run in linear time on any input (Python-Markdown took 30 s on ``"[" * 20000``: see
``bench/run.py markdown-render``). Input is capped at ``MAX_CHARS`` on top of that, so a request
that renders Markdown holds a worker for a bounded time.

Markdown may carry raw HTML; nh3 (ammonia) keeps only a small allow-list of tags and
attributes, so a guideline can never run script in an annotator's browser (and carries no
``style`` attribute, which the production Content-Security-Policy would block anyway).
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# About 8,000 words: far above any guidelines we have seen (the demo's are 6,700 characters);
# the worst input at this size renders in well under a second (bench/run.py markdown-render).
MAX_CHARS = 50_000

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "kbd", "mark", "del", "s",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Every link becomes an <a>; nh3's scheme allow-list alone decides which keep their href (a
# javascript: link is shown as its text without a target, as with raw HTML links).
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]


class MarkdownTooLong(ValueError):
    """The text is longer than the limit; nothing was parsed."""


def render_markdown(text: str, *, limit: int | None = MAX_CHARS) -> str:
    """Sanitised HTML for ``text``. Raises MarkdownTooLong past ``limit`` characters
    (``None``: no limit, for text that is already stored)."""
    text = text or ""
    if limit is not None and len(text) > limit:
        raise MarkdownTooLong(f"Markdown is limited to {limit:,} characters (this text has {len(text):,})")
    html = _PARSER.render(text)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return clean.rstrip("\n")
