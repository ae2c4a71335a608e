"""The lead's management API: members and roles with per-annotator progress, schema
validation for the live editor, and a guidelines preview.

Everything a lead does on the settings, import and members pages goes through here or
through the project, import, job and assignment endpoints, so it can be scripted too.
"""

from __future__ import annotations

from django.db import connection
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.selectors import median_seconds_fallback, members_with_progress
from annotator.core.markdown import render_markdown
from annotator.projects.models import Membership
from annotator.projects.schema import validate_label_schema
from annotator.projects.services import member_add, member_remove, member_role_change, project_schema_impact
from api.permissions import IsLead, project_for
from api.serializers import ErrorSerializer, SchemaImpactRequestSerializer, SchemaImpactSerializer
from api.serializers_manage import (
    MarkdownHtmlSerializer,
    MarkdownSerializer,
    MemberAddedSerializer,
    MemberCreateSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    SchemaValidationSerializer,
)


def _fill_medians(project, rows: list[Membership]) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL computes the median inside the one query; elsewhere it costs one more.
    if rows and connection.vendor != "postgresql":
        median_seconds_fallback(project=project, memberships=rows)


def _member_row(project, membership: Membership) -> Membership:  # type: ignore[no-untyped-def]
    """The member re-read with their progress figures."""
    row = members_with_progress(project=project).get(pk=membership.pk)
    _fill_medians(project, [row])
    return row


class MemberListView(ListAPIView):
    """Leads: the project's members with their role and progress (paginated, by username).
    POST adds an existing account the lead already works with (new people: invitations)."""

    serializer_class = MemberSerializer
    permission_classes = [IsAuthenticated & IsLead]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.project = project_for(self.request, self.kwargs["pk"])
        return members_with_progress(project=self.project)

    def paginate_queryset(self, queryset):  # type: ignore[no-untyped-def]
        page = super().paginate_queryset(queryset)
        _fill_medians(self.project, page or [])
        return page

    @extend_schema(
        request=MemberCreateSerializer,
        responses={201: MemberAddedSerializer, 200: MemberAddedSerializer, 400: ErrorSerializer},
        description="Add an existing account to the project, or change a member's role: 201 "
        "when added, 200 with `outcome` `role_changed` or `unchanged` for a member. Leads may "
        "add by name only people who are members of a project they lead (staff: anyone); any "
        "other name is a 400 naming `username`, the same whether or not the account exists "
        "(invite new people: `POST /api/projects/{id}/invitations/`). No account is created "
        "and no password is ever set here: a `password` is a 400 naming `password`.",
    )
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        data = MemberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership, outcome = member_add(project=project, by=request.user, **data.validated_data)
        body = {**MemberSerializer(_member_row(project, membership)).data, "outcome": outcome}
        return Response(body, status=status.HTTP_201_CREATED if outcome == "added" else status.HTTP_200_OK)


class MemberDetailView(APIView):
    """Leads: change a member's role or remove them. The last lead cannot be demoted or removed."""

    permission_classes = [IsAuthenticated & IsLead]

    @extend_schema(
        request=MemberRoleSerializer, responses={200: MemberSerializer, 400: ErrorSerializer, 404: ErrorSerializer}
    )
    def patch(self, request: Request, pk: int, username: str) -> Response:
        project = project_for(request, pk)
        data = MemberRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = member_role_change(project=project, username=username, role=data.validated_data["role"])
        return Response(MemberSerializer(_member_row(project, membership)).data)

    @extend_schema(
        responses={204: OpenApiResponse(description="removed"), 400: ErrorSerializer, 404: ErrorSerializer},
        description="Their annotations stay; their open assignments go back to the pool.",
    )
    def delete(self, request: Request, pk: int, username: str) -> Response:
        project = project_for(request, pk)
        member_remove(project=project, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _validation(schema: object) -> dict:
    errors = validate_label_schema(schema)
    return {"valid": not errors, "errors": errors}


class ProjectSchemaValidateView(APIView):
    """Leads: check a label schema (the request body) without saving it. The answer lists
    every problem with its path, for the live JSON editor on the settings page."""

    permission_classes = [IsAuthenticated & IsLead]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: SchemaValidationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        project_for(request, pk)
        return Response(_validation(request.data))


class ProjectSchemaImpactView(APIView):
    """Leads: what saving ``label_schema`` (with optional ``renames``) would do to the stored
    annotations and gold, without saving: every name it removes, how many annotations and gold
    decisions use it, and what it is renamed to. The settings page shows this before saving."""

    permission_classes = [IsAuthenticated & IsLead]

    @extend_schema(request=SchemaImpactRequestSerializer, responses={200: SchemaImpactSerializer, 400: ErrorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        data = SchemaImpactRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(project_schema_impact(project=project, **data.validated_data))


class LabelSchemaValidateView(APIView):
    """Any signed-in user: the same check, for the "new project" page (there is no project
    yet to be lead of; who may create one is PROJECT_CREATORS). Reads and writes nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: SchemaValidationSerializer})
    def post(self, request: Request) -> Response:
        return Response(_validation(request.data))


class MarkdownPreviewView(APIView):
    """Any signed-in user: Markdown rendered and sanitised exactly as guidelines are shown
    to annotators (for the guidelines editor's preview). Reads and writes nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MarkdownSerializer, responses={200: MarkdownHtmlSerializer, 400: ErrorSerializer})
    def post(self, request: Request) -> Response:
        data = MarkdownSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"html": render_markdown(data.validated_data["text"])})
