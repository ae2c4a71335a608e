"""YAML front matter for dataset cards, written by hand (pure, no Django, no PyYAML).

Only what a card needs: mappings, lists, strings, numbers, booleans and null, in block style.
A string is written bare only when it is a plain word (``cc-by-4.0``, ``hf/ner/train.parquet``);
every other string as a JSON string, which is also a valid YAML double-quoted scalar (YAML 1.2 is
a superset of JSON), so no value can be mistaken for another type (``"no"``, ``"1.0"``,
``"null"``) and any character survives. The Hugging Face Hub and ``datasets`` read it with a
YAML parser; ``tests/exports_job/test_plain_install.py`` proves ``datasets`` loads the result.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

INDENT = "  "
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# a string written bare: starts with a letter, then letters, digits and ``_ . / -``, and is not
# a word some YAML reader takes for a boolean or null (YAML 1.1's yes/no/on/off/y/n included)
_PLAIN_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*\Z")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} in a card")
        return repr(value)
    if isinstance(value, str):
        if _PLAIN_VALUE.match(value) and value.lower() not in _RESERVED:
            return value
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write a {type(value).__name__} in a card")


def _is_block(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple)) and len(value) > 0


def _empty(value: Any) -> str:
    return "{}" if isinstance(value, Mapping) else "[]"


def _lines(value: Any, level: int) -> list[str]:
    pad = INDENT * level
    out: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key) if _PLAIN_KEY.match(str(key)) and str(key).lower() not in _RESERVED else json.dumps(str(key))
            if _is_block(item):
                out.append(f"{pad}{name}:")
                out += _lines(item, level + 1)
            else:
                out.append(f"{pad}{name}: {_empty(item) if isinstance(item, (Mapping, list, tuple)) else _scalar(item)}")
        return out
    if isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            if _is_block(item):
                inner = _lines(item, level + 1)
                # "- " takes the place of the first line's indentation
                out.append(f"{pad}- {inner[0].lstrip()}")
                out += inner[1:]
            else:
                out.append(f"{pad}- {_empty(item) if isinstance(item, (Mapping, list, tuple)) else _scalar(item)}")
        return out
    return [pad + _scalar(value)]


def dump_yaml(data: Mapping[str, Any]) -> str:
    """``data`` as block-style YAML, keys in the given order, ending with a newline."""
    return "\n".join(_lines(data, 0)) + "\n"


def front_matter(data: Mapping[str, Any]) -> str:
    """``---\\n<yaml>---\\n``: the metadata block at the top of a ``README.md`` card."""
    return f"---\n{dump_yaml(data)}---\n"
