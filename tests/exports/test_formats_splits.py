"""Splits by document and the manifest helper."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from annotator.exports.formats.manifest import write_manifest
from annotator.exports.splits import assign_split, document_key, write_splits_csv


def test_document_key_prefers_the_external_id_then_the_url_then_the_text_hash() -> None:
    assert document_key(external_id="ap-1", url="https://x", content_hash="ab") == "id:ap-1"
    assert document_key(url="https://x", content_hash="ab") == "url:https://x"
    assert document_key(content_hash="ab") == "sha256:ab"
    # the split depends on the key only: no database id is involved
    assert assign_split(document_key(content_hash="ab"), seed=3) == assign_split("sha256:ab", seed=3)


def test_document_keeps_its_split_when_others_are_added() -> None:
    before = {d: assign_split(d, seed=42) for d in range(1000)}
    after = {d: assign_split(d, seed=42) for d in range(3000)}
    assert all(after[d] == s for d, s in before.items())


def test_split_ratios_are_roughly_respected_and_seeded() -> None:
    counts = {"train": 0, "dev": 0, "test": 0}
    for d in range(20000):
        counts[assign_split(d, seed=1)] += 1
    assert 0.78 < counts["train"] / 20000 < 0.82
    assert 0.09 < counts["dev"] / 20000 < 0.11
    assert [assign_split(d, seed=1) for d in range(50)] != [
        assign_split(d, seed=2) for d in range(50)
    ]


def test_splits_csv_has_one_row_per_document(tmp_path: Path) -> None:
    docs = [(d, f"Title, {d}", assign_split(d)) for d in range(10)]
    assert write_splits_csv(docs, tmp_path / "splits.csv") == 10
    with open(tmp_path / "splits.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["document_id", "title", "split"]
    assert (
        len({r["document_id"] for r in rows}) == 10 and rows[1]["title"] == "Title, 1"
    )


def test_manifest_hashes_every_file_and_is_stable(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_bytes(b"alpha")
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00beta")
    first = write_manifest(tmp_path)
    assert [e["path"] for e in first["files"]] == ["a.txt", "sub/b.bin"]
    assert first["files"][0]["sha256"] == hashlib.sha256(b"alpha").hexdigest()
    sums = (tmp_path / "SHA256SUMS").read_bytes()
    assert (
        write_manifest(tmp_path) == first
        and (tmp_path / "SHA256SUMS").read_bytes() == sums
    )
