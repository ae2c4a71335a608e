from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.interchange.offsets import Utf16Map, WhitespaceMap, utf16_length


def _units(text: str) -> list[int]:
    out, pos = [], 0
    for ch in text:
        out.append(pos)
        pos += 2 if ord(ch) > 0xFFFF else 1
    return [*out, pos]


@given(st.text(alphabet=st.sampled_from(list("ab é\u0301👩\u200d🇺🇦𠮷\n")), max_size=30))
def test_utf16_map_agrees_with_encoding_every_offset(text):
    m = Utf16Map(text)
    units = _units(text)
    assert units[-1] == utf16_length(text) == len(text.encode("utf-16-le")) // 2
    inverse = {u: i for i, u in enumerate(units)}
    for u in range(units[-1] + 2):
        assert m.to_code_points(u) == inverse.get(u)
    for i, u in enumerate(units):
        assert m.to_utf16(i) == u


def test_utf16_of_zwj_family_before_a_name():
    text = "👩‍👩‍👧 Zoë Müller"
    m = Utf16Map(text)
    assert (m.to_code_points(9), m.to_code_points(19)) == (6, 16)
    assert text[6:16] == "Zoë Müller"
    assert m.to_code_points(1) is None  # inside the first surrogate pair


def test_whitespace_map_moves_offsets_between_rewrapped_copies():
    m = WhitespaceMap("Kim  met\r\nPutin.", "Kim met Putin.")
    assert (m.start(5), m.end(8)) == (4, 7)
    assert (m.start(10), m.end(16)) == (8, 14)
    assert m.start(3) is None
    with pytest.raises(ValueError):
        WhitespaceMap("a b", "a c")
