"""annotator.core.markdown: CommonMark (markdown-it-py) sanitised by nh3, bounded input.

The time bound on pathological input is a benchmark, not a test (no wall-time asserts):
``python bench/run.py markdown-render``. Here: what it renders, what it strips, what it refuses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.markdown import MAX_CHARS, MarkdownTooLong, render_markdown

ROOT = Path(__file__).resolve().parents[2]
# the inputs that made the old renderer (Python-Markdown) quadratic or worse; see bench/markdown_render.py
PATHOLOGICAL = ["[", "*a **b", "![[", "[a](", "_a", "<", "`", "> ", "- "]


def test_guideline_features_render():
    html = render_markdown(
        "# Rules\n\n**names** and *stance*\n\n| type | covers |\n|---|---|\n| PER | people |\n\n"
        "```\ncode <b>\n```\n\n- a\n- b\n\n1. one\n2. two\n\n~~old~~ <kbd>s</kbd> [AP](https://apnews.com)"
    )
    for fragment in ("<h1>Rules</h1>", "<strong>names</strong>", "<em>stance</em>", "<th>type</th>", "<td>PER</td>",
                     "<pre><code>code &lt;b&gt;\n</code></pre>", "<li>a</li>", "<ol>", "<s>old</s>", "<kbd>s</kbd>",
                     'href="https://apnews.com"'):
        assert fragment in html, fragment


def test_script_handlers_styles_and_javascript_links_are_removed():
    html = render_markdown(
        'Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:alert(3)) '
        '<a href="javascript:alert(4)">b</a> <span style="color:red">c</span>\n\n| a |\n|:-:|\n| 1 |'
    )
    assert "<a rel=\"noopener noreferrer nofollow\">a</a>" in html, "the link keeps its text, not its target"
    for bad in ("<script", "onerror", "javascript:", "style=", "<img"):
        assert bad not in html, bad


def test_the_demo_guidelines_render_every_heading_and_table():
    text = (ROOT / "fixtures" / "demo" / "guidelines.md").read_text("utf-8")
    html = render_markdown(text)
    assert html.count("<h2>") == text.count("\n## ") and "<table>" in html


@pytest.mark.parametrize("unit", PATHOLOGICAL)
def test_pathological_input_at_the_cap_renders(unit):
    """Completes (how fast is bench/run.py markdown-render measures) and stays within the allow-list."""
    html = render_markdown((unit * (MAX_CHARS // len(unit)))[:MAX_CHARS])
    assert html.startswith("<") and "<script" not in html


def test_input_over_the_cap_is_refused_before_any_parsing():
    with pytest.raises(MarkdownTooLong):
        render_markdown("[" * (MAX_CHARS + 1))
    assert render_markdown("[" * (MAX_CHARS + 1), limit=None).startswith("<p>[[[")


def test_the_python_markdown_package_is_gone_from_the_requirements():
    pins = (ROOT / "requirements.txt").read_text().lower()
    assert "markdown-it-py==" in pins and "\nmarkdown==" not in pins
