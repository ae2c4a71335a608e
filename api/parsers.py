"""A JSON parser with a bound on nesting depth, refusing text the database cannot store.

Python's ``json`` raises ``RecursionError`` (not ``ValueError``) on input nested about a
thousand levels deep, which DRF's parser does not catch: a 200-byte body of ``[[[[...``
was a 500. Here any body nested deeper than ``MAX_JSON_DEPTH`` is a 400 that says so, and
nothing deeper ever reaches the validators (which recurse too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

from annotator.core.text import first_unstorable

# The deepest legitimate body is an annotation: events[i].arguments[j].start (depth 5), a
# label schema (4) or an export's parameters; 32 leaves plenty of room.
MAX_JSON_DEPTH = 32


def json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
            deepest = max(deepest, depth + 1)
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
            deepest = max(deepest, depth + 1)
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than ``MAX_JSON_DEPTH`` with a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels") from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels")
        # NUL and lone surrogates: refused here for every JSON body, with the field's path.
        unstorable = first_unstorable(data)
        if unstorable is not None:
            field, problem = unstorable
            raise ValidationError({field or "body": [problem]})
        return data
