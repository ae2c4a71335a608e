"""The settings page shows what a schema change does to saved work and lets the lead
rename, merge or keep the labels (issue 9, item 16), in real Chromium."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_removing_a_label_in_use_shows_the_impact_and_a_merge_rewrites_the_annotations(
    live_server: Any, page: Any, artifacts_dir: Any
) -> None:
    from annotator.annotations.models import Annotation
    from annotator.documents.models import Sentence
    from annotator.gold.models import Gold, GoldSource
    from annotator.projects.models import Project
    from annotator.projects.services import membership_set, project_create, user_ensure
    from tests.factories import SCHEMA, add_text

    lead = user_ensure(username="lead", password=PASSWORD)
    anna = user_ensure(username="anna", password=PASSWORD)
    project = project_create(slug="pact", name="Pact", label_schema=SCHEMA, created_by=lead)
    membership_set(project=project, user=anna, role="annotator")
    add_text(project, "Putin met Kim in Pyongyang.")
    sentence = Sentence.objects.get(project=project)
    org = {"start": 17, "end": 26, "label": "ORG"}
    Annotation.objects.create(project=project, sentence=sentence, annotator=anna,
                              labels={"entities": [org], "stance": [], "events": []})
    Gold.objects.create(project=project, sentence=sentence, labels={"entities": [org], "stance": [], "events": []},
                        source=GoldSource.ADJUDICATED, decided_by=lead, decided_at=timezone.now())

    sign_in(page, live_server.url, "lead", "/p/pact/settings/")
    schema = copy.deepcopy(Project.objects.get(pk=project.pk).label_schema)
    schema["entity_types"] = [t for t in schema["entity_types"] if t["name"] != "ORG"]
    page.locator("#id_schema").fill(json.dumps(schema, indent=2))
    save = page.locator("#save-schema")
    expect(save).to_be_enabled()
    save.click()

    panel = page.locator("#schema-impact")
    expect(panel).to_be_visible()
    item = panel.locator("li[data-name=ORG]")
    expect(item).to_contain_text("Entity type “ORG”: used by 1 annotation and 1 gold decision")
    expect(panel.locator(".impact-summary")).to_have_text("1 name in use would be orphaned.")
    assert "ORG" in json.dumps(Project.objects.get(pk=project.pk).label_schema), "nothing saved yet"
    page.screenshot(path=str(artifacts_dir / "manage-schema-impact.png"), full_page=True)

    item.locator("select").select_option("PER")  # a name that exists: a merge
    expect(panel.locator(".impact-summary")).to_have_text("Every name in use is renamed.")
    panel.locator("[data-impact-save]").click()
    expect(page.locator("#schema-form .form-status")).to_have_text("Saved.")
    expect(panel).to_be_hidden()
    assert Annotation.objects.get(annotator=anna).labels["entities"] == [{**org, "label": "PER"}]
    assert Gold.objects.get(sentence=sentence).labels["entities"] == [{**org, "label": "PER"}]
    assert [t["name"] for t in Project.objects.get(pk=project.pk).label_schema["entity_types"]] == ["PER", "GPE"]
    assert page.js_errors == []  # type: ignore[attr-defined]
