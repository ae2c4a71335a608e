"""Small helpers shared by the readers (pure)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from ..sources import Member, decode
from ..types import ReadResult, Where

MAX_DEPTH = 32  # JSON nesting: far above any export's (a Label Studio task is about 9 deep)


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Nested deeper than ``limit`` (counted without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def stem(name: str) -> str:
    return PurePosixPath(name).stem


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def text_of(result: ReadResult, name: str, data: bytes) -> str | None:
    text, problem = decode(name, data)
    if problem is not None:
        result.problems.append(problem)
    return text


def jsonl_lines(result: ReadResult, name: str, data: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; bad lines become errors."""
    text = text_of(result, name, data)
    if text is None:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            result.add(Where(name, number), f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            value = None
        if value is None or too_deep(value):
            result.add(Where(name, number), f"JSON nested deeper than {MAX_DEPTH} levels")
            continue
        if not isinstance(value, dict):
            result.add(Where(name, number), f"a line must hold a JSON object, not {type(value).__name__}")
            continue
        yield number, value


def json_document(result: ReadResult, name: str, data: bytes) -> Any:
    """The whole member as JSON, or None with an error naming the line."""
    text = text_of(result, name, data)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        result.add(Where(name, exc.lineno), f"not valid JSON ({exc.msg} at column {exc.colno})")
        return None
    except RecursionError:
        value = None
    if value is None or too_deep(value):
        result.add(Where(name), f"JSON nested deeper than {MAX_DEPTH} levels (or null)")
        return None
    return value


def only(members: list[Member], suffixes: tuple[str, ...], result: ReadResult) -> list[Member]:
    """Members with one of these suffixes; others are noted and left out."""
    kept = [m for m in members if m[0].lower().endswith(suffixes)]
    for name, _ in members:
        if not name.lower().endswith(suffixes):
            result.add(Where(name), f"ignored: not a {' or '.join(suffixes)} file", "note")
    if not kept:
        result.add(Where(", ".join(n for n, _ in members) or "(nothing)"), f"no {' or '.join(suffixes)} file to read")
    return kept
