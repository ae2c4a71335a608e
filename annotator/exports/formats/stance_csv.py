"""``stance-csv``: SemEval-2016 Task 6 style table, ``stance.csv`` with the header
``id,target,sentence,stance,document_id,split``, one row per (sentence, gold stance target).

The first four columns are CONTRACT.md's (``id`` is the sentence id; ``stance`` is the label
exactly as stored in the schema); ``document_id`` and ``split`` (``train``/``dev``/``test``, as
in ``splits.csv``) come after them so readers by position keep working. CSV quoting is minimal
(RFC 4180: quotes around a field with a comma, a quote, ``\\n`` or ``\\r``; Python's ``csv``
module leaves a lone ``\\r`` unquoted when lines end in ``\\n``, which splits the row in every
reader, so quoting is done here); lines end in ``\\n`` so the file is byte-stable across
platforms.

Spreadsheet formula injection: a text cell (target, sentence, stance, split) that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by Excel,
LibreOffice or Google Sheets when the file is opened. Such a cell is written with a leading
``'`` (the OWASP "CSV injection" advice), which spreadsheets show as text; counted as
``neutralised_cells``. A cell that already begins with ``'`` gets one more, so stripping one
leading ``'`` from every cell that has one gives the exact text back (also in ``jsonl``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import record_split, run_writer

FILENAME = "stance.csv"
HEADER = ("id", "target", "sentence", "stance", "document_id", "split")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PREFIXED = (*FORMULA_START, "'")  # a leading ' doubled keeps the rule reversible
_NEEDS_QUOTES = (",", '"', "\n", "\r")


def csv_line(cells: Sequence[object]) -> str:
    """One RFC 4180 line (minimal quoting, ``\\n`` at the end)."""
    out = []
    for cell in cells:
        text = str(cell)
        if any(c in text for c in _NEEDS_QUOTES):
            text = '"' + text.replace('"', '""') + '"'
        out.append(text)
    return ",".join(out) + "\n"


def neutralise(cell: str, stats: ExportStats | None = None) -> str:
    """``cell`` made inert for spreadsheets: a leading ``'`` if it starts like a formula."""
    if cell.startswith(_PREFIXED):
        if stats is not None:
            stats.counts["neutralised_cells"] += 1
        return "'" + cell
    return cell


class StanceCsvWriter:
    """Streaming writer for ``stance.csv``."""

    def __init__(self, out_dir: Path, *, schema: LabelSchema) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.stats = ExportStats("stance-csv", files=[FILENAME])
        self._fh = open(out_dir / FILENAME, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._fh.write(csv_line(HEADER))

    def add(self, record: GoldRecord) -> None:
        sentence = record["sentence"]
        stance = record["gold"].get("stance", [])
        split = record_split(record, self.stats) if stance else ""
        for item in stance:
            self._fh.write(
                csv_line(
                    (
                    sentence["id"],
                    neutralise(str(item["target"]), self.stats),
                    neutralise(sentence["text"], self.stats),
                    neutralise(str(item["label"]), self.stats),
                    record["document"]["id"],
                    neutralise(split, self.stats),
                    )
                )
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
