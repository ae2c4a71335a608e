"""The import readers: one registry line per format (STYLE 32).

A reader is ``read(members, options) -> ReadResult`` (pure): members are ``(name, bytes)``
of a file, zip or folder (:mod:`annotator.interchange.sources`). Readers never raise on bad
input; they report every problem in the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..sources import Member
from ..types import ReadOptions, ReadResult
from . import accord, brat, conll, doccano, labelstudio


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    name: str
    read: Callable[[list[Member], ReadOptions], ReadResult]
    label: str
    input: str


READERS: dict[str, ReaderSpec] = {
    spec.name: spec
    for spec in (
        ReaderSpec("doccano", doccano.read, "doccano 1.x JSONL", "the Export zip (one .jsonl per member) or one .jsonl; UTF-16 offsets"),
        ReaderSpec("labelstudio", labelstudio.read, "Label Studio JSON / JSON_MIN", "the export .json; code-point offsets checked against each span's text"),
        ReaderSpec("brat", brat.read, "brat standoff", "a folder or zip: one folder per annotator of .txt + .ann, optional annotation.conf"),
        ReaderSpec("conll", conll.read, "CoNLL-2003 IOB/IOB2", "one file per annotator (a file, folder or zip); -DOCSTART- splits documents"),
        ReaderSpec("accord", accord.read, "Accord JSONL with raw", "export_gold --format jsonl --raw (gold.jsonl, or the bundle zip)"),
    )
}


def read(format: str, members: list[Member], options: ReadOptions | None = None) -> ReadResult:
    """Read ``members`` as ``format`` (KeyError for an unknown format name)."""
    return READERS[format].read(members, options or ReadOptions())
