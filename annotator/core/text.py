"""Text that PostgreSQL can store (pure: no Django).

PostgreSQL keeps no NUL character (U+0000) in ``text`` or ``jsonb``, and a lone UTF-16
surrogate (U+D800..U+DFFF, which JSON's ``\\ud800`` escape produces) cannot even be
encoded as UTF-8. Either used to reach the database and come back as a 500; every way in
(API bodies, annotation fields, imported files) asks here first and names the field.
"""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character (U+0000), which cannot be stored"
    return f"contains a lone surrogate (U+{ord(found.group()):04X}), which is not valid Unicode text"


def first_unstorable(value: Any, path: str = "") -> tuple[str, str] | None:
    """(field path, reason) of the first string in a JSON value -- a value or a key --
    that cannot be stored, in document order; None if all can. Paths read like
    ``label_schema.entity_types[1].description``; a bad key is reported on the object
    that holds it (``""`` for the top level). Iterative, so any depth is safe."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return where, problem
        elif isinstance(item, dict):
            for key in item:
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    return where, f"has a key that {problem}"
            stack.extend(reversed([(v, f"{where}.{k}" if where else str(k)) for k, v in item.items()]))
        elif isinstance(item, list):
            stack.extend(reversed([(v, f"{where}[{i}]") for i, v in enumerate(item)]))
    return None


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``"1 new article"``, ``"2 new articles"``: a count with its noun in the right number
    (``plural`` for irregular nouns; otherwise ``singular + "s"``)."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
