"""Checksums of an export folder: ``MANIFEST.json`` and ``SHA256SUMS`` (``sha256sum -c`` format).

Paths are relative with ``/`` separators and sorted; no timestamps, so re-exporting the same
records gives the same manifest.
"""

from __future__ import annotations

import hashlib
import json
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


def write_manifest(folder: str | Path) -> dict[str, Any]:
    """Hash every file under ``folder`` (except the two manifest files), write
    ``MANIFEST.json`` (``{"files": [{"path", "bytes", "sha256"}]}``) and ``SHA256SUMS``;
    return the manifest. Safe to run twice."""
    root = Path(folder)
    entries = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel in (MANIFEST_NAME, SUMS_NAME):
            continue
        entries.append(
            {"path": rel, "bytes": path.stat().st_size, "sha256": sha256_file(path)}
        )
    manifest = {"files": entries}
    (root / MANIFEST_NAME).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    (root / SUMS_NAME).write_text(
        "".join(f"{e['sha256']}  {e['path']}\n" for e in entries),
        encoding="utf-8",
        newline="\n",
    )
    return manifest
