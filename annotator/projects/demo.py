"""The demo project: the seed article, a lead, three annotators and their annotations."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from annotator.agreement.models import AgreementReport
from annotator.agreement.services import agreement_compute, agreement_data_version
from annotator.annotations.models import Annotation, AnnotationStatus, Assignment, AssignmentState
from annotator.annotations.services import annotation_save, labels_clean
from annotator.documents.parsing import ArticleIn, content_hash
from annotator.documents.services import articles_store

from .models import Project, Role
from .services import membership_set, project_create, project_update, user_ensure

DEMO_SLUG = "demo"
DEMO_PASSWORD = "accord-demo"  # noqa: S105 - the demo logins are printed on purpose
DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


@dataclass
class DemoResult:
    project: Project
    logins: list[tuple[str, str, str]]  # (username, password, role)
    created: bool
    annotations_written: int
    practice: Project | None = None


def _read(directory: Path, name: str) -> Any:
    path = directory / name
    return json.loads(path.read_text("utf-8")) if name.endswith(".json") else path.read_text("utf-8")


def demo_load(*, fixtures_dir: Path | None = None) -> DemoResult:
    """Create or refresh the demo project. Safe to run twice: the article is found by its
    hash, users and memberships are upserted, and an annotation is rewritten (a new
    version) only when the fixture differs from what is stored."""
    directory = fixtures_dir or DEMO_DIR
    schema = _read(directory, "schema.json")
    guidelines = _read(directory, "guidelines.md")
    article = _read(directory, "article.json")
    fixture = _read(directory, "annotations.json")

    with transaction.atomic():
        lead = user_ensure(username="lead", password=DEMO_PASSWORD)
        project = Project.objects.filter(slug=DEMO_SLUG).first()
        created = project is None
        if project is None:
            project = project_create(
                slug=DEMO_SLUG,
                name="Demo: Russia–North Korea pact (AP)",
                description="One AP article, annotated by three people, to show every part of Accord.",
                label_schema=schema,
                guidelines=guidelines,
                overlap=3,
                created_by=lead,
            )
        else:
            # the fixture's schema is the demo's: names a visitor added and used are kept orphaned
            project_update(project=project, label_schema=schema, guidelines=guidelines, overlap=3,
                           confirm_orphans=True)
        membership_set(project=project, user=lead, role=Role.LEAD)
        logins = [("lead", DEMO_PASSWORD, Role.LEAD.value)]
        annotators = {}
        for name in fixture["annotators"]:
            annotators[name] = user_ensure(username=name, password=DEMO_PASSWORD)
            membership_set(project=project, user=annotators[name], role=Role.ANNOTATOR)
            logins.append((name, DEMO_PASSWORD, Role.ANNOTATOR.value))

        digest = content_hash(article["text"])
        document = project.documents.filter(content_hash=digest).first()
        if document is None:
            articles_store(
                project=project,
                articles=[
                    ArticleIn(
                        title=article["title"],
                        text=article["text"],
                        source=article.get("source") or "",
                        published=date.fromisoformat(article["published"]) if article.get("published") else None,
                        meta={k: v for k, v in {**article.get("meta", {}), "url": article.get("url")}.items() if v is not None},
                    )
                ],
            )
            document = project.documents.get(content_hash=digest)
        sentences = {s.index: s for s in document.sentences.all()}

        written = 0
        stored = {
            (a.sentence_id, a.annotator_id): a
            for a in Annotation.objects.filter(sentence__document=document, annotator__in=annotators.values())
        }
        for item in fixture["sentences"]:
            sentence = sentences[item["index"]]
            if sentence.text != item["text"]:
                raise ValueError(f"demo fixture sentence {item['index']} does not match the segmented article")
            for name, labels in item["annotations"].items():
                user = annotators[name]
                payload = _payload(labels)
                current = stored.get((sentence.id, user.id))
                if current is not None and current.labels == labels_clean(payload) and current.status == payload["status"]:
                    continue
                payload["version"] = current.version if current else 0
                annotation_save(sentence=sentence, annotator=user, payload=payload, schema=project.label_schema)
                written += 1
        done = {(a.sentence_id, a.annotator_id) for a in Assignment.objects.filter(sentence__document=document)}
        Assignment.objects.bulk_create(
            [
                Assignment(project=project, sentence=sentences[item["index"]], annotator=annotators[name], state=AssignmentState.DONE)
                for item in fixture["sentences"]
                for name in item["annotations"]
                if (sentences[item["index"]].id, annotators[name].id) not in done
            ]
        )
        practice = _practice_project(
            schema=schema, guidelines=guidelines, lead=lead, annotators=list(annotators.values()), article=article
        )
    _agreement_ensure(project)
    return DemoResult(
        project=project, logins=logins, created=created, annotations_written=written, practice=practice
    )


def _agreement_ensure(project: Project) -> None:
    """The demo's dashboard shows a report at once: computed here, in this process, with the
    same code as ``compute_agreement`` (no worker needed); not again for unchanged data."""
    version = agreement_data_version(project_id=project.id)
    if not AgreementReport.objects.filter(project=project, data_version=version).exists():
        agreement_compute(project=project)


PRACTICE_SLUG = "demo-practice"


def _practice_project(*, schema: Any, guidelines: str, lead: Any, annotators: list[Any], article: dict) -> Project:
    """The same article, schema and guidelines with nothing annotated yet, so that a demo
    annotator finds work in the workspace (in the demo project all three are done)."""
    practice = Project.objects.filter(slug=PRACTICE_SLUG).first()
    if practice is None:
        practice = project_create(
            slug=PRACTICE_SLUG,
            name="Practice: annotate the demo article yourself",
            description="Nothing is annotated here yet: sign in as ana, ben or chloe and start annotating.",
            label_schema=schema,
            guidelines=guidelines,
            overlap=len(annotators),
            created_by=lead,
        )
    for user in annotators:
        membership_set(project=practice, user=user, role=Role.ANNOTATOR)
    digest = content_hash(article["text"])
    if not practice.documents.filter(content_hash=digest).exists():
        articles_store(
            project=practice,
            articles=[ArticleIn(title=article["title"], text=article["text"], source=article.get("source") or "")],
        )
    return practice


def _strip_text(span: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in span.items() if k != "text"}


def _payload(labels: dict[str, Any]) -> dict[str, Any]:
    """The fixture's spans carry their text for checking; the API shape does not."""
    return {
        "entities": [_strip_text(e) for e in labels.get("entities", [])],
        "stance": labels.get("stance", []),
        "events": [
            {
                "type": ev["type"],
                "trigger": _strip_text(ev["trigger"]),
                "arguments": [_strip_text(a) for a in ev.get("arguments", [])],
            }
            for ev in labels.get("events", [])
        ],
        "status": labels.get("status", AnnotationStatus.SUBMITTED),
        "unsure": labels.get("unsure", False),
        "seconds": labels.get("seconds", 30),
    }
