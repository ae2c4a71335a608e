"""Fixtures for export jobs: the demo project with gold made directly from the model
(aggregation is another area's), a viewer (the ML team role) and an outsider."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.gold.models import Gold, GoldSource
from annotator.projects.models import Membership, Role
from tests.factories import UserFactory


def make_gold(project: Any) -> int:
    """One Gold per sentence with a submitted annotation: the alphabetically first annotator's
    labels (so the data is deterministic), source majority. Returns how many."""
    seen: set[int] = set()
    rows = []
    annotations = (
        Annotation.objects.filter(project=project, status=AnnotationStatus.SUBMITTED)
        .select_related("annotator")
        .order_by("sentence_id", "annotator__username")
    )
    for annotation in annotations:
        if annotation.sentence_id in seen:
            continue
        seen.add(annotation.sentence_id)
        rows.append(
            Gold(
                project=project,
                sentence_id=annotation.sentence_id,
                labels=annotation.labels,
                source=GoldSource.MAJORITY,
                confidence=0.75,
                annotation_ids=[annotation.pk],
                decided_at=timezone.now(),
            )
        )
    Gold.objects.bulk_create(rows)
    return len(rows)


@pytest.fixture
def demo_gold(db: None) -> Any:
    """(project, {"lead", "viewer", "annotator", "outsider"} users) with gold for the demo."""
    from annotator.projects.demo import demo_load

    project = demo_load().project
    make_gold(project)
    lead = Membership.objects.get(project=project, role=Role.LEAD).user
    annotator = Membership.objects.filter(project=project, role=Role.ANNOTATOR).order_by("user__username")[0].user
    viewer = UserFactory(username="mlteam")
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    outsider = UserFactory(username="outsider")
    return project, {"lead": lead, "viewer": viewer, "annotator": annotator, "outsider": outsider}
