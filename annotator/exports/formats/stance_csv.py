"""``stance-csv``: SemEval-2016 Task 6 style table, ``stance.csv`` with the header
``id,target,sentence,stance`` (CONTRACT.md wording), one row per (sentence, gold stance target).

``id`` is the sentence id; ``stance`` is the label exactly as stored in the schema. CSV quoting
is minimal (RFC 4180 quotes around fields with commas, quotes or newlines); lines end in ``\\n``
so the file is byte-stable across platforms.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import run_writer

FILENAME = "stance.csv"
HEADER = ("id", "target", "sentence", "stance")


class StanceCsvWriter:
    """Streaming writer for ``stance.csv``."""

    def __init__(self, out_dir: Path, *, schema: LabelSchema) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.stats = ExportStats("stance-csv", files=[FILENAME])
        self._fh = open(out_dir / FILENAME, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._fh, lineterminator="\n")
        self._csv.writerow(HEADER)

    def add(self, record: GoldRecord) -> None:
        sentence = record["sentence"]
        for item in record["gold"].get("stance", []):
            self._csv.writerow(
                (sentence["id"], item["target"], sentence["text"], item["label"])
            )
            self.stats.counts["rows"] += 1
        self.stats.counts["sentences"] += 1

    def close(self) -> ExportStats:
        self._fh.close()
        return self.stats


def write_stance_csv(
    records: Iterable[GoldRecord], out_dir: str | Path, *, schema: LabelSchema
) -> ExportStats:
    """Write ``records`` to ``out_dir/stance.csv``."""
    return run_writer(StanceCsvWriter(Path(out_dir), schema=schema), records)
