"""Adjudication in real Chromium: queue → accept a version by keyboard → merge a span → save."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _merge_target(sentence: Any) -> tuple[Any, Any, dict[str, Any]]:
    """(accepted annotation, other annotation, an entity only the other one has)."""
    from annotator.annotations.models import Annotation

    anns = list(Annotation.objects.filter(sentence=sentence).select_related("annotator").order_by("annotator__username"))
    for i, base in enumerate(anns):
        have = {(e["start"], e["end"], e["label"]) for e in base.labels["entities"]}
        for other in anns:
            for e in other.labels["entities"]:
                key = (e["start"], e["end"], e["label"])
                overlaps = any(s < e["end"] and e["start"] < t for s, t, _ in have)
                if key not in have and not overlaps:
                    return (i, base), other, e
    raise AssertionError("no mergeable span in this sentence")


def test_lead_accepts_a_version_merges_a_span_and_saves_gold_with_provenance(page, live_server, artifacts_dir) -> None:
    from playwright.sync_api import expect

    from annotator.gold.models import Gold
    from annotator.gold.selectors import adjudication_queue
    from annotator.gold.services import gold_aggregate
    from annotator.projects.demo import demo_load

    project = demo_load().project
    gold_aggregate(project=project, method="majority", threshold=0.9)
    queue = list(adjudication_queue(project=project))
    sentence = next(s for s in queue if _safe(s))
    (index, base), other, extra = _merge_target(sentence)

    page.goto(f"{live_server.url}/login/?next=/p/{project.slug}/adjudicate/")
    page.fill("#id_username", "lead")
    page.fill("#id_password", "accord-demo")
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/p/{project.slug}/adjudicate/")
    expect(page.locator("table.adj-queue tbody tr")).to_have_count(len(queue))
    page.locator(f"a[href$='/adjudicate/{sentence.id}/']").click()
    expect(page.locator(".adj-version")).to_have_count(3)
    expect(page.locator(".adj-version .who").nth(index)).to_have_text(base.annotator.username)
    assert page.locator(".seg.ent.differs").count() > 0, "differences are marked"

    page.keyboard.press("?")
    expect(page.locator("#adj-help")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press(str(index + 1))  # accept that version
    expect(page.locator("#adj-provenance")).to_have_text(base.annotator.username)

    text = sentence.text
    label = f"{extra['label']} “{text[extra['start']:extra['end']]}”"
    choices = page.locator(".adj-choice")
    target = next(i for i in range(choices.count()) if label in choices.nth(i).inner_text())
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    expect(choices.nth(target)).to_have_class(re.compile("focus"))
    page.keyboard.press("Space")  # merge the other annotator's span into gold
    expect(choices.nth(target)).to_have_class(re.compile(r"\bon\b"))
    page.screenshot(path=str(artifacts_dir / "adjudicate.png"), full_page=True)
    page.keyboard.press("Enter")

    def saved() -> Gold | None:
        return Gold.objects.filter(sentence=sentence, source__in=["adjudicated", "accepted"]).first()

    from tests.conftest import wait_for

    gold = wait_for(saved, 15, what="the gold to be saved")
    assert gold.source == "adjudicated" and gold.decided_by.username == "lead"
    from annotator.annotations.models import Annotation

    had_it = {a.id for a in Annotation.objects.filter(sentence=sentence) if extra in a.labels["entities"]}
    assert other.id in had_it and sorted(gold.annotation_ids) == sorted({base.id} | had_it)
    assert {"start": extra["start"], "end": extra["end"], "label": extra["label"]} in gold.labels["entities"]
    assert gold.revisions.filter(decided_by__username="lead").exists()
    assert page.js_errors == []


def _safe(sentence: Any) -> bool:
    try:
        _merge_target(sentence)
        return True
    except AssertionError:
        return False
