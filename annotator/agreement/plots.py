"""The dashboard's plots as SVG text, drawn with matplotlib (Agg-free SVG canvas, no pyplot
state, so it is safe in threaded web servers). Pure: no Django import.

Text stays text (``svg.fonttype: none``): screen readers and search see the labels, and the
SVG stays small. matplotlib escapes the text it writes, so labels from users are safe to inline.
Labels and usernames are drawn as plain text (``text.parse_math: False``): "$x^2$" is a name,
not a formula, and "$\\frac" must not raise.

The production Content-Security-Policy (``style-src 'self'``) blocks ``style`` attributes and
``<style>`` elements in the page, and matplotlib writes both (every fill, stroke and font): the
plots came out as black boxes. ``_csp_clean`` rewrites them as SVG presentation attributes
(``fill="#4e79a7"``), which are markup, not style, and which a policy does not block.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.parse_math": False,
}
LAYER_TITLES = {"stance": "Stance: Cohen's κ", "entities": "Entities: exact F1", "events": "Event triggers: exact F1"}


def _svg(fig: Figure, salt: str) -> str:
    buffer = io.StringIO()
    with rc_context({**_RC, "svg.hashsalt": salt}):  # distinct ids when several SVGs share a page
        FigureCanvasSVG(fig).print_svg(buffer)
    text = buffer.getvalue()
    return _csp_clean(text[text.index("<svg"):])  # drop the XML prologue and doctype: the SVG is inlined


# The CSS properties matplotlib writes that SVG also has as presentation attributes.
_PRESENTATION = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity",
    "font-family", "font-size", "font-style", "font-weight", "font-stretch", "font-variant",
    "text-anchor", "dominant-baseline", "clip-path", "clip-rule", "visibility", "display",
})
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>\s*")


def _attributes(declarations: str) -> str:
    """' fill="#fff" stroke-width="0.8"' from 'fill: #fff; stroke-width: 0.8' (matplotlib's
    values hold no double quote; properties without an attribute are dropped)."""
    out = []
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip().replace('"', "'")
        if name in _PRESENTATION and value:
            out.append(f' {name}="{value}"')
    return "".join(out)


def _csp_clean(svg: str) -> str:
    """The SVG with every ``style`` attribute turned into presentation attributes, and
    matplotlib's one ``<style>*{...}</style>`` rule moved to the root (they inherit)."""
    rule = _STYLE_ELEMENT.search(svg)
    if rule:
        svg = svg[: rule.start()] + svg[rule.end():]
        svg = svg.replace("<svg ", "<svg" + _attributes(rule.group(1)) + " ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda m: _attributes(m.group(1)), svg)


def _cell_text(ax: Any, i: int, j: int, value: float | None, high: bool) -> None:
    label = "—" if value is None else f"{value:.2f}"
    ax.text(j, i, label, ha="center", va="center", color="white" if high else "black", fontsize=8)


def heatmap_svg(annotators: Sequence[str], heatmaps: Mapping[str, Sequence[Sequence[float | None]]]) -> str:
    """Annotator x annotator agreement, one panel per layer; values printed in each cell."""
    layers = [layer for layer in ("stance", "entities", "events") if layer in heatmaps]
    n = max(len(annotators), 1)
    with rc_context(_RC):
        fig = Figure(figsize=(3.2 * max(len(layers), 1), 0.45 * n + 1.6), layout="constrained")
        axes = fig.subplots(1, max(len(layers), 1), squeeze=False)[0]
        for ax, layer in zip(axes, layers, strict=False):
            grid = np.array([[np.nan if v is None else v for v in row] for row in heatmaps[layer]], dtype=float)
            ax.imshow(np.ma.masked_invalid(grid), cmap="viridis", vmin=0, vmax=1)
            ax.set_facecolor("#eeeeee")
            ax.set_xticks(range(len(annotators)), annotators, rotation=45, ha="right")
            ax.set_yticks(range(len(annotators)), annotators)
            ax.set_title(LAYER_TITLES.get(layer, layer))
            for i in range(grid.shape[0]):
                for j in range(grid.shape[1]):
                    value = None if math.isnan(grid[i, j]) else float(grid[i, j])
                    _cell_text(ax, i, j, value, high=value is not None and value < 0.6)
        if not layers:
            axes[0].text(0.5, 0.5, "no pairs yet", ha="center")
            axes[0].set_axis_off()
        return _svg(fig, "heatmap")


def confusion_svg(payload: Mapping[str, Any], title: str, salt: str) -> str:
    """A label confusion matrix (counts over annotator pairs, symmetric), counts in the cells;
    colour on a log scale so that the rare confusions are visible beside the big diagonal."""
    labels = list(payload.get("labels") or [])
    matrix = np.asarray(payload.get("matrix") or [[0]], dtype=float)
    size = max(len(labels), 1)
    with rc_context(_RC):
        room = 0.075 * max((len(str(label)) for label in labels), default=4)  # long names need margin
        fig = Figure(figsize=(min(1.4 + 0.42 * size + room, 11), min(1.2 + 0.38 * size + room, 10)), layout="constrained")
        ax = fig.subplots()
        shown = np.log1p(matrix)
        ax.imshow(shown, cmap="Blues", vmin=0, vmax=max(float(shown.max()), 1.0))
        ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        ax.set_title(title)
        ax.set_xlabel("the other annotator")
        ax.set_ylabel("one annotator")
        top = float(shown.max()) or 1.0
        if size <= 24:
            for i in range(matrix.shape[0]):
                for j in range(matrix.shape[1]):
                    if matrix[i, j]:
                        ax.text(j, i, f"{int(matrix[i, j])}", ha="center", va="center", fontsize=7,
                                color="white" if shown[i, j] > 0.6 * top else "black")
        return _svg(fig, salt)


def history_svg(points: Sequence[Mapping[str, Any]]) -> str:
    """Agreement over time: one line per headline measure, a marker per report."""
    series = [k for k in dict.fromkeys(k for p in points for k in p) if k not in ("id", "computed_at")]
    with rc_context(_RC):
        fig = Figure(figsize=(7.5, 2.8), layout="constrained")
        ax = fig.subplots()
        xs = [p["computed_at"] for p in points]
        markers = "osD^v<>"
        for k, name in enumerate(series):
            ys = [np.nan if p.get(name) is None else p[name] for p in points]
            ax.plot(xs, ys, marker=markers[k % len(markers)], label=name)
        ax.axhline(0.8, color="#888", linestyle="--", linewidth=0.8)
        ax.axhline(0.667, color="#bbb", linestyle=":", linewidth=0.8)
        ax.set_ylim(min(0.0, *(p.get(n) or 0 for p in points for n in series)) if points else 0, 1.02)
        ax.set_ylabel("agreement")
        if series:
            ax.legend(loc="lower left", fontsize=7, frameon=False)
        fig.autofmt_xdate()
        return _svg(fig, "history")


def event_types_svg(types: Mapping[str, Mapping[str, Any]]) -> str:
    """Alpha per event type as horizontal bars, with the number of positives in the label."""
    names = list(types)
    with rc_context(_RC):
        fig = Figure(figsize=(6.5, 0.3 * max(len(names), 1) + 1.0), layout="constrained")
        ax = fig.subplots()
        values = [types[n].get("alpha") for n in names]
        ys = range(len(names))
        ax.barh(list(ys), [0 if v is None else v for v in values], color="#4e79a7")
        ax.set_yticks(list(ys), [f"{n} ({types[n].get('positives', 0)})" for n in names])
        ax.invert_yaxis()
        for y, v in zip(ys, values, strict=True):
            ax.text(0.01 if v is None or v < 0.15 else v - 0.01, y, "undefined" if v is None else f"{v:.2f}",
                    va="center", ha="left" if v is None or v < 0.15 else "right",
                    color="black" if v is None or v < 0.15 else "white", fontsize=7)
        ax.axvline(0.8, color="#888", linestyle="--", linewidth=0.8)
        ax.set_xlim(min(0.0, *(v for v in values if v is not None)) if any(v is not None for v in values) else 0, 1)
        ax.set_xlabel("Krippendorff's α (positives in brackets)")
        return _svg(fig, "eventtypes")
