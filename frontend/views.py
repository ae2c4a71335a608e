"""Pages. Each view reads through selectors and renders a template; no logic here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotator.accounts.selectors import may_create_projects
from annotator.projects.models import Role
from annotator.projects.selectors import members_of, project_progress, projects_for_user, projects_progress
from frontend.access import project_for_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    projects = list(projects_for_user(user=request.user))
    roles = dict(request.user.memberships.values_list("project_id", "role"))
    progress = projects_progress(project_ids=[p.pk for p in projects])
    rows = [{"project": p, "role": roles.get(p.pk), "progress": progress[p.pk]} for p in projects]
    context = {"rows": rows, "can_create_projects": may_create_projects(user=request.user)}
    return render(request, "frontend/home.html", context)


@login_required
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = project_for_page(request, slug)
    context = {
        "project": project,
        "role": role,
        "progress": project_progress(project=project),
        "documents": project.documents.order_by("id").only("id", "project", "title", "source", "published")[:200],
        "members": members_of(project=project) if role == Role.LEAD else [],
    }
    return render(request, "frontend/project.html", context)
