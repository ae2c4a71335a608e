"""plots.py: user text is drawn as plain text (never matplotlib mathtext), and the SVG is
CSP-clean (no style attribute, no <style> element: the production policy blocks both)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from annotator.agreement import plots

# labels and usernames that matplotlib would parse as mathtext ($...$) or choke on
MATHY = ["$x^2$", r"$\frac{a}{b}$", r"$\\frac{a}{b}$", "$", "a $ b"]
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    """The visible text of every <text> element (its own text and its tspans)."""
    root = ET.fromstring(svg)  # noqa: S314 - SVG that our own code just wrote
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def _all_plots(names: list[str]) -> list[str]:
    n = len(names)
    grid = [[1.0 if i == j else 0.5 for j in range(n)] for i in range(n)]
    return [
        plots.heatmap_svg(names, {"stance": grid, "entities": grid}),
        plots.confusion_svg({"labels": names, "matrix": [[3] * n for _ in range(n)]}, "Entity labels", "ce"),
        plots.event_types_svg({name: {"alpha": 0.7, "positives": 2} for name in names}),
        plots.history_svg([{"id": k, "computed_at": datetime(2026, 12, k + 1, tzinfo=UTC), name: 0.5 + k / 10}
                           for k, name in enumerate(names[:2])]),
    ]


def test_dollar_signs_in_labels_and_usernames_render_as_plain_text_not_mathtext():
    svgs = _all_plots(MATHY)
    texts = [text for svg in svgs[:3] for text in _texts(svg)]
    for name in MATHY:
        assert name in texts, f"{name!r} is drawn literally (heatmap ticks)"
    assert any(f"{name} (2)" in texts for name in MATHY), "event type labels are literal"
    legend = _texts(svgs[3])
    assert "$x^2$" in legend and r"$\frac{a}{b}$" in legend, "history legend entries are literal"


@pytest.mark.parametrize("index", range(4), ids=["heatmap", "confusion", "event-types", "history"])
def test_svg_has_no_inline_style_for_the_production_csp(index):
    svg = _all_plots(["ana", "ben", "chloe"])[index]
    root = ET.fromstring(svg)  # noqa: S314 - SVG that our own code just wrote
    styled = [el.tag for el in root.iter() if "style" in el.attrib]
    assert not styled, f"style attributes are blocked by style-src 'self': {styled[:5]}"
    assert not list(root.iter(f"{SVG}style")), "<style> elements are blocked by style-src 'self'"
    fills = {el.attrib["fill"] for el in root.iter() if "fill" in el.attrib}
    assert "#ffffff" in fills, "the white background is a fill attribute (blocked styles drew black boxes)"


def test_presentation_attributes_keep_what_the_style_said():
    svg = plots.event_types_svg({"Contact:Meet": {"alpha": 0.9, "positives": 4}})
    assert re.search(r'fill="#4e79a7"', svg), "the bar colour is a fill attribute"
    assert 'font-family="' in svg and 'font-size="' in svg
