"""The lead's pages: create a project, its settings (schema and guidelines editors),
article upload with a progress bar, and members with their progress.

Pages render the current state; our ES modules (static/frontend/js/manage/) make the
changes through the REST API, so everything here can be scripted as well.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from annotator.accounts.selectors import may_create_projects
from annotator.core.errors import DomainError
from annotator.projects.models import Project, Role
from annotator.projects.services import project_create_for
from frontend.access import project_for_page

# A sensible start: the common entity types on free hotkeys, one stance target to
# rename, and a few ACE-2005 event types. Leads edit it before or after creating.
STARTER_SCHEMA: dict = {
    "entity_types": [
        {"name": "PER", "hotkey": "p", "color": "#e69f00", "description": "People, named, without titles."},
        {"name": "ORG", "hotkey": "o", "color": "#56b4e9", "description": "Named organisations."},
        {"name": "GPE", "hotkey": "g", "color": "#009e73", "description": "Countries, cities, states."},
        {"name": "LOC", "hotkey": "l", "color": "#0072b2", "description": "Named non-political places."},
    ],
    "allow_overlapping_entities": False,
    "stance": {"targets": ["the policy in the news"], "labels": ["favor", "against", "neutral", "none"]},
    "event_types": [
        {"name": "Contact:Meet", "roles": ["Entity", "Time", "Place"]},
        {"name": "Movement:Transport", "roles": ["Agent", "Artifact", "Vehicle", "Origin", "Destination", "Time"]},
        {"name": "Conflict:Attack", "roles": ["Attacker", "Target", "Instrument", "Time", "Place"]},
    ],
}

STARTER_GUIDELINES = """# Guidelines

Mark **names** of people, organisations and places, without titles ("Putin", not "President Putin").

## Stance
Choose the label that the *sentence* expresses toward the target; use `none` when it says nothing about it.
"""


def _lead_project(request: HttpRequest, slug: str) -> Project:
    """The project if the caller leads it: 404 for non-members, 403 for other roles."""
    return project_for_page(request, slug, roles=[Role.LEAD])[0]


def _pretty(schema: object) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False)


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST (works without JavaScript): create the project with the caller
    as lead and go to its settings; a refusal re-renders the form with the reason. 403 for
    someone the PROJECT_CREATORS setting does not let create projects."""
    if not may_create_projects(user=request.user):
        raise PermissionDenied("you may not create projects here")
    form = {
        "name": "",
        "slug": "",
        "overlap": 2,
        "schema": _pretty(STARTER_SCHEMA),
        "guidelines": STARTER_GUIDELINES,
    }
    error = None
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in ("name", "slug", "overlap", "schema", "guidelines")}
        try:
            try:
                schema = json.loads(form["schema"])
            except json.JSONDecodeError as exc:
                raise DomainError(f"the schema is not valid JSON: {exc}", field="label_schema") from None
            try:
                overlap = int(form["overlap"])
            except ValueError:
                raise DomainError("overlap must be a whole number from 1 to 50", field="overlap") from None
            project = project_create_for(
                user=request.user,
                slug=form["slug"].strip(),
                name=form["name"].strip(),
                label_schema=schema,
                overlap=overlap,
                guidelines=form["guidelines"],
            )
        except DomainError as exc:
            error = {"message": exc.message, "field": exc.field}
        else:
            return redirect("frontend:manage-settings", slug=project.slug)
    return render(request, "frontend/manage_new.html", {"form": form, "error": error}, status=400 if error else 200)


@login_required
def project_settings(request: HttpRequest, slug: str) -> HttpResponse:
    project = _lead_project(request, slug)
    context = {"project": project, "schema_json": _pretty(project.label_schema), "section": "settings"}
    return render(request, "frontend/manage_settings.html", context)


@login_required
def project_import(request: HttpRequest, slug: str) -> HttpResponse:
    project = _lead_project(request, slug)
    return render(request, "frontend/manage_import.html", {"project": project, "section": "import"})


@login_required
def project_members(request: HttpRequest, slug: str) -> HttpResponse:
    project = _lead_project(request, slug)
    context = {
        "project": project, "roles": Role.choices, "section": "members", "invitation_days": settings.INVITATION_DAYS,
    }
    return render(request, "frontend/manage_members.html", context)
