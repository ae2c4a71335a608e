"""Checksums of an export folder: ``MANIFEST.json`` and ``SHA256SUMS`` (``sha256sum -c`` format),
and the export's content version (:func:`content_sha256`).

Paths are relative with ``/`` separators and sorted; no timestamps, so re-exporting the same
records gives the same manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

MANIFEST_NAME = "MANIFEST.json"
SUMS_NAME = "SHA256SUMS"


def sha256_file(path: Path, *, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks (exports can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def file_entries(folder: str | Path, *, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    """``[{"path", "bytes", "sha256"}]`` of every file under ``folder`` (relative ``/`` paths,
    sorted), leaving out the two manifest files and the relative paths in ``exclude``."""
    root = Path(folder)
    skip = {MANIFEST_NAME, SUMS_NAME, *exclude}
    entries = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel not in skip:
            entries.append({"path": rel, "bytes": path.stat().st_size, "sha256": sha256_file(path)})
    return entries


def sums_text(entries: Iterable[Mapping[str, Any]]) -> str:
    """``SHA256SUMS`` lines (``<sha256>  <path>``) of ``entries``, in their order."""
    return "".join(f"{e['sha256']}  {e['path']}\n" for e in entries)


def content_sha256(entries: Iterable[Mapping[str, Any]]) -> str:
    """The version of an export's content: SHA-256 of the ``SHA256SUMS`` lines of its data
    files, sorted by path. It changes when any data file's bytes or name change, and nothing
    else (the dataset card, which names it, is not a data file). Checkable by hand:
    ``grep -v '  README.md$' SHA256SUMS | sha256sum`` in an unzipped bundle."""
    ordered = sorted(entries, key=lambda e: str(e["path"]))
    return hashlib.sha256(sums_text(ordered).encode("utf-8")).hexdigest()


def write_manifest(
    folder: str | Path,
    *,
    entries: list[dict[str, Any]] | None = None,
    content: str | None = None,
    content_excludes: Iterable[str] = (),
) -> dict[str, Any]:
    """Write ``MANIFEST.json`` (``{"content_sha256", "content_excludes", "files": [{"path",
    "bytes", "sha256"}]}``) and ``SHA256SUMS`` for every file under ``folder`` (except the two
    manifest files); return the manifest. ``entries`` saves hashing files again when the caller
    has them (they must cover every file); ``content`` is the content SHA-256, computed from the
    entries minus ``content_excludes`` when not given. Safe to run twice."""
    root = Path(folder)
    excluded = sorted(content_excludes)
    if entries is None:
        entries = file_entries(root)
    entries = sorted(entries, key=lambda e: str(e["path"]))
    if content is None:
        content = content_sha256(e for e in entries if e["path"] not in excluded)
    manifest = {"content_sha256": content, "content_excludes": excluded, "files": entries}
    (root / MANIFEST_NAME).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    (root / SUMS_NAME).write_text(sums_text(entries), encoding="utf-8", newline="\n")
    return manifest
