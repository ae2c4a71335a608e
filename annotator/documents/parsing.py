"""Reading article files (.txt, .jsonl, .csv) into plain records (pure: no Django).

Every problem raises ``ArticleFileError`` naming the file, the line and the reason; the
caller imports nothing when any file fails.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from annotator.core.text import first_unstorable

SUPPORTED = (".txt", ".jsonl", ".csv")
KNOWN_FIELDS = {"id", "url", "title", "text", "source", "published", "meta"}
MAX_JSON_DEPTH = 20
MAX_TITLE_CHARS = 1000
MAX_ID_CHARS = 500
MAX_URL_CHARS = 2000
# One file's line count is bounded too: a 50 MB file of one-character lines would otherwise
# be a million-iteration parse before any other limit applies.
MAX_LINES = 200_000


class ArticleFileError(ValueError):
    """A bad input file; ``str()`` reads like ``news.jsonl, line 3: text is empty``."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass
class ArticleIn:
    title: str
    text: str
    source: str = ""
    external_id: str = ""  # the article's own ``id`` in the imported file
    url: str = ""
    published: date | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # "file:line", for messages

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hash of the text with whitespace runs collapsed: re-wrapped copies are duplicates."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleFileError(name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _depth(value: Any, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _parse_date(value: Any, name: str, line: int | None) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ArticleFileError(name, line, "published must be a date string like 2024-10-24")
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        raise ArticleFileError(name, line, f"published {value!r} is not an ISO date like 2024-10-24") from None


def _article(record: dict[str, Any], name: str, line: int | None, max_chars: int) -> ArticleIn:
    unstorable = first_unstorable(record)  # a JSON escape can carry NUL or a lone surrogate
    if unstorable is not None:
        field, problem = unstorable
        raise ArticleFileError(name, line, f"{field or 'the record'} {problem}")
    text = record.get("text")
    if not isinstance(text, str):
        raise ArticleFileError(name, line, "missing text field" if text is None else "text must be a string")
    if not text.strip():
        raise ArticleFileError(name, line, "text is empty")
    if len(text) > max_chars:
        raise ArticleFileError(name, line, f"text is longer than {max_chars:,} characters")
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ArticleFileError(name, line, "missing title field" if title is None else "title must be a non-empty string")
    if len(title) > MAX_TITLE_CHARS:
        raise ArticleFileError(name, line, f"title is longer than {MAX_TITLE_CHARS} characters")
    source = record.get("source") or ""
    if not isinstance(source, str):
        raise ArticleFileError(name, line, "source must be a string")
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise ArticleFileError(name, line, "meta must be an object")
    external_id = record.get("id")
    if external_id is None:
        external_id = ""
    if isinstance(external_id, bool) or not isinstance(external_id, (str, int)):
        raise ArticleFileError(name, line, "id must be a string or a whole number")
    external_id = str(external_id).strip()
    if len(external_id) > MAX_ID_CHARS:
        raise ArticleFileError(name, line, f"id is longer than {MAX_ID_CHARS} characters")
    url = record.get("url") or ""
    if not isinstance(url, str):
        raise ArticleFileError(name, line, "url must be a string")
    if len(url.strip()) > MAX_URL_CHARS:
        raise ArticleFileError(name, line, f"url is longer than {MAX_URL_CHARS} characters")
    # Other fields are kept in meta rather than dropped.
    extra = {k: v for k, v in record.items() if k not in KNOWN_FIELDS and v not in (None, "")}
    return ArticleIn(
        title=title.strip(),
        text=text,
        source=source.strip(),
        external_id=external_id,
        url=url.strip(),
        published=_parse_date(record.get("published"), name, line),
        meta={**extra, **meta},
        origin=f"{name}:{line}" if line else name,
    )


def _parse_txt(name: str, text: str, max_chars: int) -> list[ArticleIn]:
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.strip():
            body = "".join(lines[number + 1 :]).strip("\r\n")
            if not body.strip():
                raise ArticleFileError(name, number + 1, "no article text after the title line")
            return [_article({"title": line.strip(), "text": body}, name, None, max_chars)]
    raise ArticleFileError(name, None, "the file is empty")


def _parse_jsonl(name: str, text: str, max_chars: int) -> list[ArticleIn]:
    articles = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except RecursionError:
            raise ArticleFileError(name, number, f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
        except json.JSONDecodeError as exc:
            raise ArticleFileError(name, number, f"bad JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(record, dict):
            raise ArticleFileError(name, number, "each line must be a JSON object")
        if _depth(record, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise ArticleFileError(name, number, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        articles.append(_article(record, name, number, max_chars))
    if not articles:
        raise ArticleFileError(name, None, "the file holds no articles")
    return articles


def _parse_csv(name: str, text: str, max_chars: int) -> list[ArticleIn]:
    csv.field_size_limit(max(max_chars + 1, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in ("title", "text") if c not in header]
    if missing:
        raise ArticleFileError(name, 1, f"missing column(s): {', '.join(missing)} (header: {', '.join(header) or 'none'})")
    articles = []
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise ArticleFileError(name, line, "more fields than the header has")
            if not any((v or "").strip() for v in row.values()):
                continue
            articles.append(_article(dict(row), name, line, max_chars))
    except csv.Error as exc:
        raise ArticleFileError(name, reader.line_num or line, f"bad CSV: {exc}") from None
    if not articles:
        raise ArticleFileError(name, None, "the file holds no articles")
    return articles


def parse_article_file(name: str, data: bytes, *, max_bytes: int, max_chars: int) -> list[ArticleIn]:
    """Parse one file into articles; raises ArticleFileError on the first problem."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ArticleFileError(name, None, f"unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED)}")
    if len(data) > max_bytes:
        raise ArticleFileError(name, None, f"file is {len(data):,} bytes; the limit is {max_bytes:,}")
    text = _decode(name, data)
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_LINES:
        raise ArticleFileError(name, None, f"file has {lines:,} lines; the limit is {MAX_LINES:,}")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ArticleFileError(name, line, "contains a NUL character (binary file?)")
    if suffix == ".txt":
        return _parse_txt(name, text, max_chars)
    if suffix == ".jsonl":
        return _parse_jsonl(name, text, max_chars)
    return _parse_csv(name, text, max_chars)
