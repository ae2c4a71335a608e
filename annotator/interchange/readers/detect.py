"""Which reader fits an input (pure): a guess from names and the first lines, with why.

Used where a person can see and overrule it (``--from auto``, ``format=auto`` in the API's
preview). Order: brat (``.ann`` files), our JSONL (records with ``document`` and
``sentence``), doccano (JSONL lines with ``text`` and ``entities``/``label``/``cats``),
Label Studio (a JSON list of tasks with ``data``, or JSON_MIN records with ``annotator``),
CoNLL (lines of a token and an ``O``/``B-``/``I-`` tag, or ``-DOCSTART-``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..sources import Member

_TAG = re.compile(r"^(O|[BIES]-\S+)$")


def _first_object(data: bytes) -> dict[str, Any] | None:
    for line in data[:200_000].decode("utf-8", "replace").splitlines():
        if line.strip():
            try:
                value = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                return None
            return value if isinstance(value, dict) else None
    return None


def detect(members: list[Member]) -> tuple[str | None, str]:
    """(format name or None, the reason in a sentence)."""
    names = [name.lower() for name, _ in members]
    anns = sum(1 for n in names if n.endswith(".ann"))
    if anns:
        return "brat", f"{anns} brat .ann file(s)"
    jsonl = [(n, d) for n, d in members if n.lower().endswith(".jsonl")]
    firsts = [(n, _first_object(d)) for n, d in jsonl]
    if any(o and "document" in o and "sentence" in o for _, o in firsts):
        return "accord", "JSONL records with 'document' and 'sentence' (an Accord export)"
    doccano = [n for n, o in firsts if o and "text" in o and ({"entities", "label", "cats"} & set(o))]
    if doccano:
        return "doccano", f"{len(doccano)} JSONL file(s) of examples with 'text' and labels (doccano)"
    for name, data in members:
        if name.lower().endswith(".json"):
            try:
                value = json.loads(data.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                continue
            if isinstance(value, list) and value and isinstance(value[0], dict):
                if "data" in value[0] and "annotations" in value[0]:
                    return "labelstudio", f"{name}: a list of tasks with 'data' and 'annotations' (Label Studio JSON)"
                if "annotator" in value[0]:
                    return "labelstudio", f"{name}: records with 'annotator' (Label Studio JSON_MIN)"
    for name, data in members:
        lines = [line.split() for line in data[:100_000].decode("utf-8", "replace").splitlines() if line.strip()][:50]
        if lines and (lines[0][0] == "-DOCSTART-" or all(len(p) >= 2 and _TAG.match(p[-1]) for p in lines)):
            return "conll", f"{name}: token lines ending in IOB tags (CoNLL)"
    return None, "no known format recognised (doccano, Label Studio, brat, CoNLL, Accord)"
