"""Role permissions, small and composable (``IsAuthenticated & (IsLead | IsAnnotator)``).

Views resolve the project through ``project_for`` so that a project the caller does not
belong to is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.permissions import BasePermission

from annotator.projects.models import Project, Role
from annotator.projects.selectors import role_of


def project_for(request: Any, project_id: int) -> Project:
    """The project if the caller is a member (role cached on the request), else 404."""
    role = role_of(user=request.user, project_id=project_id)
    if role is None:
        raise Http404("no such project")
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise Http404("no such project")
    request.project_role = role
    return project


class _HasRole(BasePermission):
    roles: tuple[str, ...] = ()
    message = "your role in this project does not allow this"

    def has_permission(self, request: Any, view: Any) -> bool:
        project_id = view.kwargs.get("project_id") or view.kwargs.get("pk")
        if project_id is None:
            return True
        if getattr(request, "project_role", None) is None:
            project_for(request, int(project_id))
        return request.project_role in self.roles


class IsLead(_HasRole):
    roles = (Role.LEAD,)


class IsAnnotator(_HasRole):
    roles = (Role.ANNOTATOR,)


class IsViewer(_HasRole):
    roles = (Role.VIEWER,)


class IsMember(_HasRole):
    roles = tuple(Role.values)
