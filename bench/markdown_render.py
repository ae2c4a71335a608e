"""Guidelines Markdown on pathological input: bounded and linear (issue 9, item 4).

``python bench/run.py markdown-render [--repeat N]``

Renders each input known to make Markdown parsers quadratic (unclosed brackets, emphasis
runs, nested blockquotes, link openers...) through ``render_markdown`` (markdown-it-py +
nh3) at the input cap (``MAX_CHARS``) and at a quarter of it. Prints the time at the cap
and the growth from a quarter to the cap (4.0 is linear, 16 quadratic). For comparison, the
renderer we replaced (Python-Markdown, if it is still installed here: it is no longer a
requirement) on the same inputs at 2,000 and 4,000 characters only, because it needs 30 s
for ``"[" * 20000``. Targets: every input at the cap ≤ 1 s; growth ≤ 8 for 4× the size (quadratic: 16).

Times are CPU seconds of this process (``time.process_time``), so that other people's work on
the shared machine, which stretches wall time, changes them less; the load average is printed.
Growth is not computed for inputs that render in under 5 ms (too short to time).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.markdown import MAX_CHARS, render_markdown  # noqa: E402 - after the path

TARGET_SECONDS = 1.0
TARGET_GROWTH = 8.0
INPUTS = {
    "unclosed [": "[",
    "image openers ![[": "![[",
    "link openers [a](": "[a](",
    "emphasis *a **b": "*a **b",
    "emphasis a*b": "a*b",
    "mixed **_": "**_",
    "underscores _a": "_a",
    "link definitions [x]: ": "[x]: ",
    "angle brackets <": "<",
    "backticks `": "`",
    "nested quotes > ": "> ",
    "nested lists - ": "- ",
    "entities &#": "&#",
    "backslashes \\": "\\",
}


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _best(render: Callable[[str], object], text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        render(text)
        best = min(best, time.process_time() - started)
    return best


def _old_renderer() -> Callable[[str], object] | None:
    try:
        import markdown  # Python-Markdown: the renderer before this change, not a requirement any more
    except ImportError:
        return None
    return lambda text: markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py markdown-render")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per figure")
    args = parser.parse_args(argv)
    new = lambda text: render_markdown(text, limit=None)  # noqa: E731
    old = _old_renderer()

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"render_markdown (markdown-it-py + nh3), cap {MAX_CHARS:,} characters; CPU seconds, best of {args.repeat}; "
          f"load average {load}")
    print(f"{'input':<24} {'at cap':>8} {'¼ cap':>8} {'growth':>7}   {'old 2k':>8} {'old 4k':>8} {'new 4k':>8} {'old/new':>8}")
    worst, worst_growth = 0.0, 0.0
    for name, unit in INPUTS.items():
        full = _best(new, _text(unit, MAX_CHARS), args.repeat)
        quarter = _best(new, _text(unit, MAX_CHARS // 4), args.repeat)
        growth = full / quarter if quarter >= 0.005 else float("nan")
        worst = max(worst, full)
        worst_growth = max(worst_growth, growth) if growth == growth else worst_growth
        line = f"{name:<24} {full:7.3f}s {quarter:7.3f}s " + (f"{growth:6.1f}×" if growth == growth else "     -")
        if old is not None:
            old2, old4 = _best(old, _text(unit, 2_000), 1), _best(old, _text(unit, 4_000), 1)
            new4 = _best(new, _text(unit, 4_000), args.repeat)
            ratio = f"{old4 / new4:7.0f}×" if new4 >= 0.001 else "      -"
            line += f"   {old2:7.3f}s {old4:7.3f}s {new4:7.3f}s {ratio}"
        print(line)
    if old is None:
        print("(Python-Markdown is not installed: no comparison with the old renderer)")
    ok = worst <= TARGET_SECONDS and worst_growth <= TARGET_GROWTH
    print(
        f"worst at the cap {worst:.3f} s (target ≤ {TARGET_SECONDS:.0f} s), worst growth for 4× the input "
        f"{worst_growth:.1f}× (linear 4, quadratic 16; target ≤ {TARGET_GROWTH:.0f}): {'OK' if ok else 'TOO SLOW'}"
    )
