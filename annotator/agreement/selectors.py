"""Reading stored agreement reports and, for leads, every annotator's labels of one sentence."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.documents.models import Sentence
from annotator.projects.models import Project

from .models import AgreementReport


def report_latest(*, project: Project) -> AgreementReport | None:
    """The newest report of the project, or None (one query)."""
    return AgreementReport.objects.filter(project=project).order_by("-computed_at", "-id").first()


def report_history(*, project: Project) -> QuerySet[AgreementReport]:
    """Reports newest first, without their JSON (for lists; one query)."""
    return (
        AgreementReport.objects.filter(project=project)
        .order_by("-computed_at", "-id")
        .only("id", "project_id", "job_id", "data_version", "computed_at", "seconds")
    )


def history_points(*, project: Project, limit: int = 50) -> list[dict[str, Any]]:
    """Headline values of past reports, oldest first, for the over-time chart: stance alpha
    per target, entities exact F1, events MASI alpha (one query)."""
    rows = list(
        AgreementReport.objects.filter(project=project)
        .order_by("-computed_at", "-id")
        .values_list("id", "computed_at", "report")[:limit]
    )
    points = []
    for report_id, computed_at, report in reversed(rows):
        point: dict[str, Any] = {"id": report_id, "computed_at": computed_at}
        for target, values in (report.get("stance") or {}).items():
            point[f"stance α: {target}"] = values.get("alpha")
        point["entities exact F1"] = (report.get("entities") or {}).get("exact", {}).get("f1")
        point["events MASI α"] = (report.get("events") or {}).get("masi_alpha")
        points.append(point)
    return points


def sentence_side_by_side(*, project: Project, sentence_id: int) -> dict[str, Any] | None:
    """Every annotator's submitted labels of one sentence, with what not everyone marked
    flagged (``disputed``). Two queries. For leads only: the caller checks the role."""
    sentence = Sentence.objects.filter(project=project, pk=sentence_id).select_related("document").first()
    if sentence is None:
        return None
    rows = list(
        Annotation.objects.filter(sentence=sentence, status=AnnotationStatus.SUBMITTED)
        .select_related("annotator")
        .order_by("annotator__username")
        .values_list("annotator__username", "labels", "seconds", "unsure")
    )
    n = len(rows)

    def key_entity(e: dict[str, Any]) -> tuple[Any, ...]:
        return (e["start"], e["end"], e["label"])

    def key_event(e: dict[str, Any]) -> tuple[Any, ...]:
        return (e["type"], e["trigger"]["start"], e["trigger"]["end"],
                tuple(sorted((a["role"], a["start"], a["end"]) for a in e.get("arguments") or [])))

    def key_stance(s: dict[str, Any]) -> tuple[Any, ...]:
        return (s["target"], s["label"])

    counts: dict[str, dict[tuple[Any, ...], int]] = {"entities": {}, "events": {}, "stance": {}}
    keys = {"entities": key_entity, "events": key_event, "stance": key_stance}
    for _, labels, _, _ in rows:
        for layer, key in keys.items():
            for item in {key(x) for x in labels.get(layer) or []}:
                counts[layer][item] = counts[layer].get(item, 0) + 1
    text = sentence.text
    annotators = []
    for name, labels, seconds, unsure in rows:
        entry: dict[str, Any] = {"username": name, "seconds": seconds, "unsure": unsure}
        entry["entities"] = [
            {**e, "text": text[e["start"]:e["end"]], "disputed": counts["entities"][key_entity(e)] < n}
            for e in labels.get("entities") or []
        ]
        entry["stance"] = [{**s, "disputed": counts["stance"][key_stance(s)] < n} for s in labels.get("stance") or []]
        entry["events"] = [
            {
                "type": e["type"],
                "trigger_text": text[e["trigger"]["start"]:e["trigger"]["end"]],
                "arguments": [{"role": a["role"], "text": text[a["start"]:a["end"]]} for a in e.get("arguments") or []],
                "disputed": counts["events"][key_event(e)] < n,
            }
            for e in labels.get("events") or []
        ]
        annotators.append(entry)
    return {"sentence": sentence, "annotators": annotators}
