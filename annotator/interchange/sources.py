"""An import's input as named members (pure): a file, a zip, or a folder.

Readers take ``[(name, bytes), ...]`` where ``name`` is the path inside the zip or folder
(``/``-separated; a single file is its base name), so the command line (a path) and an
upload (bytes) read the same way. Hidden files and macOS resource forks are left out.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from .types import Problem, ReadError, Where

Member = tuple[str, bytes]
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 20_000  # files in one zip or folder (a brat project: two per document)


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def members_from_bytes(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Member]:
    """A zip's members (by its content, not its name), else the one file itself."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [(PurePosixPath(name.replace("\\", "/")).name, data)]
    out: list[Member] = []
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)]
            if len(infos) > MAX_MEMBERS:
                raise ReadError([Problem(Where(name), f"the zip holds {len(infos):,} files; at most {MAX_MEMBERS:,}")])
            for info in infos:
                total += info.file_size
                if total > max_bytes:
                    raise ReadError([Problem(Where(name), f"the zip holds more than {max_bytes} bytes")])
                out.append((info.filename, archive.read(info)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
        raise ReadError([Problem(Where(name), f"not a readable zip file ({exc})")]) from None
    return sorted(out)


def members_from_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Member]:
    """A folder's files (recursively, names relative to it), or a file (or zip) as above."""
    root = Path(path)
    if root.is_dir():
        out: list[Member] = []
        total = 0
        for file in sorted(root.rglob("*")):
            rel = file.relative_to(root).as_posix()
            if not file.is_file() or _hidden(rel):
                continue
            if len(out) >= MAX_MEMBERS:
                raise ReadError([Problem(Where(str(root)), f"the folder holds more than {MAX_MEMBERS:,} files")])
            total += file.stat().st_size
            if total > max_bytes:
                raise ReadError([Problem(Where(str(root)), f"the folder holds more than {max_bytes} bytes")])
            out.append((rel, file.read_bytes()))
        return out
    if not root.is_file():
        raise ReadError([Problem(Where(str(root)), "no such file or folder")])
    if root.stat().st_size > max_bytes:
        raise ReadError([Problem(Where(str(root)), f"the file is larger than {max_bytes} bytes")])
    return members_from_bytes(root.name, root.read_bytes(), max_bytes=max_bytes)


def decode(name: str, data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a BOM is dropped), or the problem naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(Where(name, line), f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
