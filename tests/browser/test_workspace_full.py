"""The workspace when a late submission finds its sentence full (issue 9, item 7): the
annotator is told plainly and keeps the draft; no "saved elsewhere" conflict dialog."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_late_submission_on_a_full_sentence_says_so_and_keeps_the_draft(page, live_server, make_project):
    from annotator.annotations.assignment import assignment_next
    from annotator.annotations.models import Annotation, Assignment
    from annotator.annotations.services import annotation_put
    from annotator.projects.services import membership_set, user_ensure

    project, anna = make_project("full", [("A visit", "Putin flew to Pyongyang on Tuesday.")])
    project.overlap, project.assignment_timeout_minutes = 1, 1
    project.save()
    sign_in(page, live_server.url, "anna", f"/p/{project.slug}/annotate/")
    expect(page.locator("#ws-text .seg").first).to_be_visible()
    page.keyboard.press("p")
    page.keyboard.press("Control+s")
    expect(page.locator("#ws-save-state")).to_contain_text("Saved (version 1")

    # anna goes quiet for 70 s; ben is given the sentence and submits it
    Assignment.objects.filter(annotator=anna).update(assigned_at=timezone.now() - timedelta(seconds=70))
    ben = user_ensure(username="ben", password=PASSWORD)
    membership_set(project=project, user=ben, role="annotator")
    sentence = assignment_next(project=project, annotator=ben).sentence
    annotation_put(sentence_id=sentence.pk, annotator=ben, payload={"status": "submitted", "version": 0})

    page.keyboard.press("Enter")
    expect(page.locator("#ws-message")).to_contain_text("already has its 1 annotator")
    expect(page.locator("#ws-message")).to_contain_text("your draft is kept")
    expect(page.locator("#ws-conflict")).to_be_hidden()
    kept = Annotation.objects.get(annotator=anna)
    assert (kept.status, kept.version) == ("draft", 1)
