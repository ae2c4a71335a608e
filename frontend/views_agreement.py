"""The lead's agreement dashboard and the side-by-side view of one disputed sentence.

Leads only: this is the one place where several people's annotations are shown together.
A non-member gets 404 (the project's existence stays private), any other member 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from annotator.agreement.selectors import history_points, report_history, report_latest, sentence_side_by_side
from annotator.projects.models import Project, Role
from frontend.access import project_for_page


def _lead_project(request: HttpRequest, slug: str) -> Project:
    return project_for_page(request, slug, roles=[Role.LEAD])[0]


def read_alpha(value: float | None) -> str:
    """Krippendorff (2004, p. 241)."""
    if value is None:
        return "undefined"
    if value >= 0.8:
        return "reliable (α ≥ .800)"
    if value >= 0.667:
        return "tentative only (.667 ≤ α < .800)"
    return "unreliable (α < .667)"


def read_kappa(value: float | None) -> str:
    """Landis & Koch (1977)."""
    if value is None:
        return "undefined"
    for bound, word in ((0.8, "almost perfect"), (0.6, "substantial"), (0.4, "moderate"), (0.2, "fair"), (0.0, "slight")):
        if value > bound:
            return word
    return "poor (below chance)"


def read_f1(value: float | None) -> str:
    if value is None:
        return "undefined"
    return "high (≥ .80)" if value >= 0.8 else ("usable with care (.60–.80)" if value >= 0.6 else "low (< .60)")


def _svg(text: str) -> Any:
    # matplotlib writes the SVG and escapes every label it draws (plots.py)
    return mark_safe(text)  # noqa: S308


def _context(project: Project) -> dict[str, Any]:
    from annotator.agreement import plots  # matplotlib: loaded by the dashboard only (issue 12)

    stored = report_latest(project=project)
    context: dict[str, Any] = {"project": project, "stored": stored, "history": list(report_history(project=project)[:20])}
    if stored is None:
        return context
    report = stored.report
    stance = [
        {"target": target, **values, "reading_alpha": read_alpha(values.get("alpha")),
         "reading_kappa": read_kappa(values.get("fleiss_kappa")),
         "pairs": sorted((values.get("pairwise_cohen_kappa") or {}).items())}
        for target, values in (report.get("stance") or {}).items()
    ]
    entities = report.get("entities") or {}
    events = report.get("events") or {}
    figures = [{"name": name, **values} for name, values in (report.get("annotator_figures") or {}).items()]
    confusion = report.get("confusion") or {}
    confusion_plots = []
    for target, payload in (confusion.get("stance") or {}).items():
        confusion_plots.append(("Stance", target, plots.confusion_svg(payload, "Stance labels", f"cs{len(confusion_plots)}")))
    if (confusion.get("entities") or {}).get("labels"):
        confusion_plots.append(("Entities", "span labels at the same offsets; ∅ = the other marked nothing there",
                                plots.confusion_svg(confusion["entities"]["labels"], "Entity labels", "ce")))
    if (confusion.get("events") or {}).get("types"):
        confusion_plots.append(("Events", "event types of triggers at the same offsets; ∅ = no trigger there",
                                plots.confusion_svg(confusion["events"]["types"], "Event types", "cv")))
    points = history_points(project=project)
    context.update(
        report=report,
        stance=stance,
        entities=entities,
        entity_exact=(entities.get("exact") or {}).get("f1"),
        entity_overlap=(entities.get("overlap") or {}).get("f1"),
        entity_reading=read_f1((entities.get("exact") or {}).get("f1")),
        per_label=sorted((entities.get("per_label") or {}).items()),
        entity_pairs=sorted((entities.get("pairwise") or {}).items()),
        events=events,
        event_types=sorted((events.get("types") or {}).items()),
        masi_reading=read_alpha(events.get("masi_alpha")),
        figures=figures,
        disputed=report.get("disputed") or [],
        readings=report.get("readings") or {},
        heatmap=_svg(plots.heatmap_svg(report.get("annotators") or [], report.get("heatmaps") or {})),
        confusion_plots=[(layer, caption, _svg(svg)) for layer, caption, svg in confusion_plots],
        event_plot=_svg(plots.event_types_svg(events["types"])) if events.get("types") else None,
        history_plot=_svg(plots.history_svg(points)) if len(points) >= 2 else None,
        history_count=len(points),
    )
    return context


@login_required
def agreement_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    project = _lead_project(request, slug)
    return render(request, "frontend/agreement.html", _context(project))


@login_required
def agreement_sentence(request: HttpRequest, slug: str, sentence_id: int) -> HttpResponse:
    project = _lead_project(request, slug)
    view = sentence_side_by_side(project=project, sentence_id=sentence_id)
    if view is None:
        raise Http404("no such sentence in this project")
    return render(request, "frontend/agreement_sentence.html", {"project": project, **view})
