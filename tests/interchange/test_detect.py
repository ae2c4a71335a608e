from __future__ import annotations

from pathlib import Path

import pytest

from annotator.interchange.readers.detect import detect
from annotator.interchange.sources import members_from_path

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("doccano-export.zip", "doccano"),
        ("doccano-ui-export.zip", "doccano"),
        ("labelstudio-export.json", "labelstudio"),
        ("labelstudio-export-min.json", "labelstudio"),
        ("labelstudio-export.conll", "conll"),
    ],
)
def test_the_shared_samples_are_recognised(samples, name, expected):
    assert detect(members_from_path(samples / name))[0] == expected


def test_fixtures_are_recognised_with_a_reason():
    assert detect(members_from_path(FIXTURES / "brat")) == ("brat", "2 brat .ann file(s)")
    assert detect(members_from_path(FIXTURES / "conll"))[0] == "conll"
    assert detect([("gold.jsonl", b'{"document": {"id": 1}, "sentence": {"start": 0, "text": "x"}}\n')])[0] == "accord"
    assert detect([("notes.txt", b"hello world\n")]) == (
        None, "no known format recognised (doccano, Label Studio, brat, CoNLL, Accord)")
