"""Who may open a project's page: one rule for every page."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from annotator.projects.models import Project
from annotator.projects.selectors import role_of


def project_for_page(
    request: HttpRequest,
    slug: str,
    *,
    roles: Iterable[str] | None = None,
    hide_from_other_roles: bool = False,
    fields: Iterable[str] = (),
) -> tuple[Project, str]:
    """The project and the caller's role in it.

    Non-members get 404 (a project they are not in does not exist for them). Members whose
    role is not in ``roles`` get 403, or 404 with ``hide_from_other_roles`` (pages that
    would reveal other annotators' labels)."""
    queryset = Project.objects.filter(slug=slug)
    if fields:
        queryset = queryset.only(*fields)
    project = queryset.first()
    role = role_of(user=request.user, project_id=project.pk) if project else None
    if project is None or role is None:
        raise Http404("no such project")
    if roles is not None and role not in set(roles):
        if hide_from_other_roles:
            raise Http404("no such project")
        raise PermissionDenied("your role in this project does not open this page")
    return project, role
