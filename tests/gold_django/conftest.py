"""Fixtures of the gold tests: the demo project (12 sentences × ana, ben, chloe; lead ``lead``)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def demo(db: None) -> Any:
    from annotator.projects.demo import demo_load

    return demo_load().project
