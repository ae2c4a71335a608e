"""Offset maps between the ways tools count characters (pure).

We count Unicode code points (Python indices). JavaScript tools (doccano's UI, old Label
Studio) count UTF-16 code units: a character outside the Basic Multilingual Plane (most
emoji, 𠮷) is two units and one code point, so every offset after one differs.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text)


class Utf16Map:
    """UTF-16 code-unit offsets of ``text`` → code-point offsets.

    ``to_code_points(u)`` is None for an offset that falls inside a surrogate pair or past
    the end (no code-point offset corresponds to it)."""

    __slots__ = ("_astral", "_length")

    def __init__(self, text: str) -> None:
        # code-point indices of the astral characters, in order
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._length = len(text)

    def to_code_points(self, unit: int) -> int | None:
        if unit < 0:
            return None
        # the k-th astral character (code point a_k) starts at unit a_k + k and covers two units
        lo, hi = 0, len(self._astral)
        while lo < hi:  # number of astral characters that end at or before `unit`
            mid = (lo + hi) // 2
            if self._astral[mid] + mid + 2 <= unit:
                lo = mid + 1
            else:
                hi = mid
        k = lo
        if k < len(self._astral) and self._astral[k] + k < unit:
            return None  # inside the k-th astral character's surrogate pair
        point = unit - k
        return point if point <= self._length else None

    def to_utf16(self, point: int) -> int:
        return point + bisect_left(self._astral, point)


def code_points_to_utf16(text: str, point: int) -> int:
    return utf16_length(text[:point])


class WhitespaceMap:
    """Offsets of ``source`` → offsets of ``target`` where the two texts differ only in
    whitespace (equal after collapsing whitespace runs, as our documents' content hash
    says). Only offsets that start or end a non-whitespace run map; others give None."""

    __slots__ = ("_src", "_dst")

    def __init__(self, source: str, target: str) -> None:
        self._src = [i for i, ch in enumerate(source) if not ch.isspace()]
        self._dst = [i for i, ch in enumerate(target) if not ch.isspace()]
        if [source[i] for i in self._src] != [target[i] for i in self._dst]:
            raise ValueError("the texts differ in more than whitespace")

    def start(self, offset: int) -> int | None:
        k = _index(self._src, offset)
        return None if k is None else self._dst[k]

    def end(self, offset: int) -> int | None:
        k = _index(self._src, offset - 1)
        return None if k is None else self._dst[k] + 1


def _index(positions: Sequence[int], value: int) -> int | None:
    k = bisect_left(positions, value)
    return k if k < len(positions) and positions[k] == value else None
