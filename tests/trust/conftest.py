"""Fixtures of the trust tests: a small project with every kind of object, six callers.

``world`` builds, through the real services: project P (lead, two annotators, a viewer) and
project Q (whose lead is the "outsider" of P); sentence S1 annotated by both annotators
with distinct labels and notes (the leak markers), S2 annotated (draft) by ann1 only, S3
assigned to ann1 (open), gold on S1 with its own distinct span, an agreement report, a
finished jsonl export (its job created by the lead) and a token of the lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import ARTICLE, SCHEMA, UserFactory, add_text

PASSWORD = "pw-accord-test"  # tests/factories.py's UserFactory password
ROLES = ("lead", "annotator", "other", "viewer", "outsider", "anonymous")

A1_ENTITY = {"start": 0, "end": 5, "label": "PER"}  # "Putin"
A2_ENTITY = {"start": 10, "end": 13, "label": "PER"}  # "Kim"
GOLD_ENTITY = {"start": 17, "end": 26, "label": "GPE"}  # "Pyongyang"
A1_NOTE = "note-of-ann1-7f3a"
A2_NOTE = "note-of-ann2-9c1b"


@dataclass
class World:
    project: Any
    other_project: Any
    users: dict[str, Any]
    s1: Any
    s2: Any
    s3: Any
    assignment_s3: Any
    export: Any
    job: Any
    token: Any
    ids: dict[str, int] = field(default_factory=dict)

    def forbidden_for(self, role: str) -> tuple[list[dict], list[str]]:
        """(label dicts, strings) the caller of ``role`` must never receive."""
        if role == "annotator":
            return [A2_ENTITY, GOLD_ENTITY], [A2_NOTE]
        if role == "other":
            return [A1_ENTITY, GOLD_ENTITY], [A1_NOTE]
        if role in ("outsider", "anonymous"):
            return [A1_ENTITY, A2_ENTITY, GOLD_ENTITY], [A1_NOTE, A2_NOTE]
        return [], []


def _annotation(entities: list[dict], note: str, status: str = "submitted", version: int = 0) -> dict:
    return {"entities": entities, "stance": [{"target": "the pact", "label": "neutral"}], "events": [],
            "status": status, "version": version, "note": note}


def world_build() -> World:
    from annotator.accounts.services import api_token_create
    from annotator.agreement.services import agreement_compute
    from annotator.annotations.assignment import assignment_create
    from annotator.annotations.services import annotation_put
    from annotator.documents.models import Sentence
    from annotator.exports.services import export_run, export_start
    from annotator.gold.models import Gold, GoldSource
    from annotator.projects.models import Membership, Project, Role

    users = {
        "lead": UserFactory(username="lead1"),
        "annotator": UserFactory(username="ann1"),
        "other": UserFactory(username="ann2"),
        "viewer": UserFactory(username="viewer1"),
        "outsider": UserFactory(username="outsider1"),
    }
    project = Project.objects.create(slug="trust", name="Trust", label_schema={**SCHEMA}, overlap=2,
                                     guidelines="Be careful.")
    other_project = Project.objects.create(slug="elsewhere", name="Elsewhere", label_schema={**SCHEMA})
    for role, name in (("lead", Role.LEAD), ("annotator", Role.ANNOTATOR), ("other", Role.ANNOTATOR),
                       ("viewer", Role.VIEWER)):
        Membership.objects.create(project=project, user=users[role], role=name)
    Membership.objects.create(project=other_project, user=users["outsider"], role=Role.LEAD)
    add_text(project, ARTICLE)
    add_text(other_project, "Seoul protested. Tokyo stayed silent.")
    s1, s2, s3 = list(Sentence.objects.filter(project=project).order_by("document_id", "index")[:3])
    assert s1.text.startswith("Putin met Kim in Pyongyang")
    for sentence, who in ((s1, "annotator"), (s1, "other"), (s2, "annotator")):
        assignment_create(project=project, sentence=sentence, annotator=users[who])
    assignment_s3 = assignment_create(project=project, sentence=s3, annotator=users["annotator"])
    annotation_put(sentence_id=s1.pk, annotator=users["annotator"], payload=_annotation([A1_ENTITY], A1_NOTE))
    annotation_put(sentence_id=s1.pk, annotator=users["other"], payload=_annotation([A2_ENTITY], A2_NOTE))
    annotation_put(sentence_id=s2.pk, annotator=users["annotator"], payload=_annotation([], A1_NOTE, status="draft"))
    Gold.objects.create(project=project, sentence=s1, labels={"entities": [GOLD_ENTITY], "stance": [], "events": []},
                        source=GoldSource.ADJUDICATED, annotation_ids=[], decided_by=users["lead"],
                        decided_at=timezone.now(), version=1)
    agreement_compute(project=project)
    export = export_start(project=project, format="jsonl", created_by=users["lead"])
    export = export_run(export_id=export.pk)
    token, _key = api_token_create(user=users["lead"], name="lead's script")
    return World(project=project, other_project=other_project, users=users, s1=s1, s2=s2, s3=s3,
                 assignment_s3=assignment_s3, export=export, job=export.job, token=token)


def walk_for_leaks(value: Any, labels: list[dict], strings: list[str], path: str = "$") -> list[str]:
    """Paths in a JSON value where a forbidden label dict (matched on its keys) or a
    forbidden string appears."""
    found: list[str] = []
    if isinstance(value, dict):
        for label in labels:
            if all(value.get(k) == v for k, v in label.items()):
                found.append(f"{path}: {label}")
        for key, item in value.items():
            found += walk_for_leaks(item, labels, strings, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += walk_for_leaks(item, labels, strings, f"{path}[{index}]")
    elif isinstance(value, str):
        found += [f"{path}: {s!r}" for s in strings if s in value]
    return found


@pytest.fixture
def world(db: None, media_root: Any) -> World:
    return world_build()


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One ``World`` for a whole module, built inside a transaction that is rolled back at
    the end; tests run each request in a savepoint (``in_savepoint``) so nothing they do
    leaks into the next. Much faster than a fresh world per request."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            yield world_build()
            transaction.set_rollback(True)


@pytest.fixture
def in_savepoint(shared_world: World, django_db_blocker: Any) -> Any:
    """Run the test body's database work in a savepoint that is rolled back afterwards."""
    from django.db import transaction

    with django_db_blocker.unblock():
        with transaction.atomic():
            yield shared_world
            transaction.set_rollback(True)
