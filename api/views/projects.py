from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.documents.services import articles_import_enqueue
from annotator.projects.models import Membership
from annotator.projects.selectors import projects_for_user
from annotator.projects.services import project_create_for, project_update
from api.permissions import IsLead, IsMember, project_for
from api.serializers import (
    ErrorSerializer,
    ImportUploadSerializer,
    JobStartedSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    SchemaConflictSerializer,
)
from api.serializers_interchange import ImportPreviewSerializer, ImportRequestSerializer
from api.views.interchange import annotations_import_post


def _roles(user) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return dict(Membership.objects.filter(user=user).values_list("project_id", "role"))


class ProjectListView(ListAPIView):
    """The caller's projects (paginated); POST creates one with the caller as lead."""

    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return projects_for_user(user=self.request.user)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "roles": _roles(self.request.user)}

    @extend_schema(request=ProjectCreateSerializer,
                   responses={201: ProjectSerializer, 400: ErrorSerializer, 403: ErrorSerializer})
    def post(self, request: Request) -> Response:
        """Create a project with the caller as lead; 403 unless the PROJECT_CREATORS setting
        allows the caller (default: staff and leads)."""
        data = ProjectCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = project_create_for(user=request.user, **data.validated_data)
        return Response(
            ProjectSerializer(project, context={"roles": {project.pk: "lead"}}).data, status=status.HTTP_201_CREATED
        )


class ProjectDetailView(APIView):
    permission_classes = [IsAuthenticated & IsMember]

    def _project(self, request: Request, pk: int):  # type: ignore[no-untyped-def]
        # IsMember has checked the role (non-members got 404); this reads the counts too
        return get_object_or_404(projects_for_user(user=request.user), pk=pk)

    @extend_schema(responses={200: ProjectSerializer})
    def get(self, request: Request, pk: int) -> Response:
        project = self._project(request, pk)
        return Response(ProjectSerializer(project, context={"roles": {pk: request.project_role}}).data)

    @extend_schema(
        request=ProjectUpdateSerializer,
        responses={200: ProjectSerializer, 400: ErrorSerializer, 409: SchemaConflictSerializer},
        description="A label_schema that removes names which annotations or gold use answers 409 with the "
        "impact unless the request has renames for them or confirm_orphans: true.",
    )
    def patch(self, request: Request, pk: int) -> Response:
        project = self._project(request, pk)
        if request.project_role != "lead":
            return Response({"detail": "only a lead can change the project", "field": None, "errors": []}, status=403)
        data = ProjectUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project_update(project=project, **data.validated_data)
        return self.get(request, pk)


class ProjectImportView(APIView):
    """Upload article files (.txt, .jsonl, .csv); they are checked at once, then imported
    by a background job whose progress ``GET /api/jobs/{id}/`` reports. With ``format``:
    annotations made in another tool (see api/views/interchange.py); ``dry_run`` answers
    200 with the preview."""

    permission_classes = [IsAuthenticated & IsLead]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={202: JobStartedSerializer, 200: ImportPreviewSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        if "format" in request.data:
            annotations = ImportRequestSerializer(data=request.data)
            annotations.is_valid(raise_exception=True)
            return annotations_import_post(request, project, annotations.validated_data)
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The files themselves, not their bytes: checked and stored one at a time.
        uploads = [(f.name, f) for f in data.validated_data["files"]]
        job = articles_import_enqueue(project=project, uploads=uploads, created_by=request.user)
        return Response({"job": job.id}, status=status.HTTP_202_ACCEPTED)
