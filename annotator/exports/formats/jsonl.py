"""``jsonl``: the full record, one JSON object per sentence in ``gold.jsonl``: ``document``,
``sentence``, ``status`` (``gold`` | ``adjudicated`` | ``disputed`` | ``unannotated``),
``confidence``, ``gold`` (the labels; for ``disputed`` the aggregation's best guess),
``provenance``, ``soft`` (vote fractions and Dawid–Skene posteriors per span, stance label and
event type; ``null`` when no aggregation run scored the sentence) and, on request, ``raw``
(every submitted annotation, by pseudonymous annotator id unless a lead asked for names).

Keys are sorted and non-ASCII text is written as is (``ensure_ascii=False``), so the file is
byte-stable across re-exports and readable in an editor.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import run_writer

FILENAME = "gold.jsonl"


def dumps_record(record: GoldRecord) -> str:
    """The canonical one-line JSON form of a record (no trailing newline)."""
    return json.dumps(
        record, ensure_ascii=False, sort_keys=True, separators=(", ", ": ")
    )


class JsonlWriter:
    """Streaming writer for ``gold.jsonl`` in ``out_dir``."""

    def __init__(self, out_dir: Path, *, schema: LabelSchema) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.stats = ExportStats("jsonl", files=[FILENAME])
        # newline="\n": the same bytes on every platform
        self._fh = open(out_dir / FILENAME, "w", encoding="utf-8", newline="\n")  # noqa: SIM115

    def add(self, record: GoldRecord) -> None:
        self._fh.write(dumps_record(record))
        self._fh.write("\n")
        self.stats.counts["sentences"] += 1

    def close(self) -> ExportStats:
        self._fh.close()
        return self.stats


def write_jsonl(
    records: Iterable[GoldRecord], out_dir: str | Path, *, schema: LabelSchema
) -> ExportStats:
    """Write ``records`` to ``out_dir/gold.jsonl``."""
    return run_writer(JsonlWriter(Path(out_dir), schema=schema), records)
