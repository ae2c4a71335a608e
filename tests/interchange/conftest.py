from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path("/work/shared/interchange-samples")
FIXTURES = Path(__file__).parent / "fixtures"


def load_truth() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (SAMPLES / "truth.jsonl").read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def truth() -> list[dict[str, Any]]:
    if not SAMPLES.is_dir():
        pytest.skip("the shared interchange samples are not on this machine")
    return load_truth()


@pytest.fixture(scope="session")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("the shared interchange samples are not on this machine")
    return SAMPLES
