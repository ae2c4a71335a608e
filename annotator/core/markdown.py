"""Markdown to safe HTML for guidelines (pure: no Django).

Markdown may carry raw HTML; nh3 (ammonia) keeps only a small allow-list of tags and
attributes, so a guideline can never run script in an annotator's browser.
"""

from __future__ import annotations

import markdown as md
import nh3

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "kbd", "mark", "del",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> str:
    html = md.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
