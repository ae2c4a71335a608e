from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# Real doccano 1.8.4 and Label Studio 1.23.2 exports with the truth they encode (see its README).
SAMPLES = FIXTURES / "samples"


def load_truth() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (SAMPLES / "truth.jsonl").read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def truth() -> list[dict[str, Any]]:
    return load_truth()


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES
