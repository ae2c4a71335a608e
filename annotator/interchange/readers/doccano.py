"""doccano 1.x JSONL export (pure).

The Export dialog's zip holds one ``<username>.jsonl`` per project member, each with one
line per example, whether or not that member labelled it. A line has ``id`` (doccano's
example id, which matches lines across members), ``text``, the import's extra columns,
and the labels by project type: ``entities`` ``[[start, end, label], ...]`` and ``cats``
(intent detection and slot filling), ``label`` ``[[start, end, label], ...]`` (sequence
labelling) or ``label`` ``["class", ...]`` (text classification).

Offsets are **UTF-16 code units** (the doccano UI counts JavaScript string lengths), and
doccano checks none of them against the text: each is converted to code points and
checked here; one that falls inside a surrogate pair or past the text is a misfit.
An example with no labels at all in a member's file is taken as not annotated by that
member (doccano writes every example into every file); a file with no labels at all
(typically the project creator's ``admin.jsonl``) is noted and contributes nobody.
Categories become stance labels (toward the example's ``target`` column, if any).
"""

from __future__ import annotations

from typing import Any

from ..offsets import Utf16Map
from ..sources import Member
from ..types import AnnotationIn, ReadOptions, ReadResult, SpanIn, StanceIn, Where
from ._common import is_int, jsonl_lines, only, stem
from ._examples import ExampleSet

NAME = "doccano"


def read(members: list[Member], options: ReadOptions) -> ReadResult:
    result = ReadResult(NAME)
    files = only(members, (".jsonl",), result)
    examples = ExampleSet(result)
    for name, data in files:
        annotator = options.as_user if options.as_user and len(files) == 1 else stem(name)
        labelled = 0
        for number, row in jsonl_lines(result, name, data):
            where = Where(name, number)
            text = row.get("text")
            if not isinstance(text, str):
                result.add(where, "the line has no 'text' string")
                continue
            key = str(row["id"]) if is_int(row.get("id")) or isinstance(row.get("id"), str) else f"text:{text}"
            fields = {k: v for k, v in row.items() if k not in ("id", "text", "entities", "label", "cats", "Comments")}
            spans, cats = _labels(result, row, where)
            if not spans and not cats:
                continue
            example = examples.get(key, text, fields, where)
            if example is None:
                continue
            labelled += 1
            utf16 = Utf16Map(text)
            ann = AnnotationIn(annotator=annotator, where=where, covered=[(0, len(text))])
            for index, (start, end, label) in enumerate(spans):
                span_where = Where(name, number, f"span {index} [{start}, {end}) {label}")
                a, b = utf16.to_code_points(start), utf16.to_code_points(end)
                if a is None or b is None or not 0 <= a < b <= len(text):
                    result.add(
                        span_where,
                        f"offsets [{start}, {end}) (UTF-16 units) do not fit the text of {len(text)} characters",
                        "misfit",
                    )
                    continue
                ann.entities.append(SpanIn(a, b, label, span_where))
            ann.stance = [StanceIn(c, 0, len(text), where, example.target) for c in cats]
            if annotator in example.annotations:
                result.add(where, f"example {key!r} appears twice in this file; the later line is kept", "misfit")
            example.annotations[annotator] = ann
        if not labelled:
            result.add(Where(name), f"no labels in any line: {annotator!r} is not imported as an annotator", "note")
    result.documents = examples.documents()
    return result


def _labels(result: ReadResult, row: dict[str, Any], where: Where) -> tuple[list[tuple[int, int, str]], list[str]]:
    spans: list[tuple[int, int, str]] = []
    cats: list[str] = []
    items: list[Any] = []
    for key in ("entities", "label"):
        value = row.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            result.add(where, f"'{key}' must be a list")
            continue
        items += value
    for item in items:
        if isinstance(item, str):
            cats.append(item)
        elif (
            isinstance(item, list) and len(item) == 3 and is_int(item[0]) and is_int(item[1]) and isinstance(item[2], str)
        ):
            spans.append((item[0], item[1], item[2]))
        else:
            result.add(where, f"a label must be [start, end, \"label\"] or a class name, not {item!r}"[:200])
    value = row.get("cats")
    if value is not None:
        if isinstance(value, list) and all(isinstance(c, str) for c in value):
            cats += value
        else:
            result.add(where, "'cats' must be a list of class names")
    return spans, cats
