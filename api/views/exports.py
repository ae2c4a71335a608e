"""Export endpoints: start an export job, list and read exports, download the files.

Leads and viewers (the ML team role) may export and download; annotators are refused (403);
people outside the project get 404 for everything, so a project's existence is not confirmed.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.core.errors import Conflict, Gone, NotFound
from annotator.exports.models import Export, ExportFormat, ExportState
from annotator.exports.selectors import export_get, export_latest, exports_of
from annotator.exports.services import export_absolute_path, export_start
from annotator.projects.models import Role
from annotator.projects.selectors import role_of
from api.permissions import IsLead, IsViewer, project_for
from api.serializers import ErrorSerializer
from api.serializers_exports import ExportSerializer, ExportStartedSerializer, ExportStartSerializer

EXPORT_ROLES = (Role.LEAD, Role.VIEWER)
DOWNLOAD = {
    (200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY,
        description="The file: .jsonl (application/x-ndjson), .csv (text/csv) or .zip (application/zip)",
    ),
    403: ErrorSerializer,
    404: ErrorSerializer,
    409: OpenApiResponse(ErrorSerializer, description="the export is not finished (or failed)"),
    410: OpenApiResponse(ErrorSerializer, description="the version expired: retention deleted its file"),
}


def _export_for(request: Request, export_id: int) -> Export:
    """The export if the caller may see it: 404 for non-members, 403 for annotators."""
    try:
        export = export_get(export_id=export_id)
    except NotFound as exc:
        raise Http404("no such export") from exc
    role = role_of(user=request.user, project_id=export.project_id)
    if role is None:
        raise Http404("no such export")
    if role not in EXPORT_ROLES:
        raise PermissionDenied("only leads and viewers can see exports")
    if export.params.get("annotator_names") and role != Role.LEAD:
        raise Http404("no such export")  # it names annotators: leads only (SECURITY.md)
    return export


def _file_response(export: Export) -> FileResponse:
    if export.state == ExportState.EXPIRED:
        raise Gone(f"export {export.pk} (version {export.version}) expired: only the newest versions are kept;"
                   " export again or download the latest")
    if export.state != ExportState.DONE:
        detail = f"export {export.pk} is {export.state}" + (f": {export.error}" if export.error else "; try again when it is done")
        raise Conflict(detail)
    path = export_absolute_path(export)
    if not path.is_file():
        raise Http404("the export's file is missing on the server")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=export.filename,
                            content_type=export.content_type)
    response["X-Checksum-SHA256"] = export.sha256
    response["X-Content-SHA256"] = export.content_sha256
    return response


class ProjectExportsView(ListAPIView):
    """GET: the project's exports, newest first (paginated). POST: start an export job."""

    serializer_class = ExportSerializer
    permission_classes = [IsAuthenticated & (IsLead | IsViewer)]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        project = project_for(self.request, self.kwargs["pk"])
        return exports_of(project=project, with_names=self.request.project_role == Role.LEAD)

    @extend_schema(
        request=ExportStartSerializer,
        responses={202: ExportStartedSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
                   429: OpenApiResponse(ErrorSerializer, description="the project's export jobs quota is in use")},
    )
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        data = ExportStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        export = export_start(project=project, format=v["format"], created_by=request.user, raw=v["raw"],
                              status=v["status"], min_confidence=v["min_confidence"],
                              annotator_names=v["annotator_names"])
        return Response({"job": export.job_id, "export": export.pk, "reused": export.reused},
                        status=status.HTTP_202_ACCEPTED)


class ExportDetailView(APIView):
    """One export: state, job, sha256, size, stats, snapshot."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ExportSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request, export_id: int) -> Response:
        return Response(ExportSerializer(_export_for(request, export_id)).data)


class ExportDownloadView(APIView):
    """The finished file (token auth works: ``Authorization: Token <key>``); 409 until done."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DOWNLOAD)
    def get(self, request: Request, export_id: int) -> FileResponse:
        return _file_response(_export_for(request, export_id))


class LatestExportView(APIView):
    """The newest finished export of a format (its state, sha256, content_sha256); 404 when none."""

    permission_classes = [IsAuthenticated & (IsLead | IsViewer)]

    @extend_schema(responses={200: ExportSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int, export_format: str) -> Response:
        project = project_for(request, pk)
        if export_format not in ExportFormat.values:
            raise Http404(f"unknown export format {export_format!r}")
        return Response(ExportSerializer(export_latest(project=project, format=export_format)).data)


class LatestExportDownloadView(APIView):
    """The newest finished export of a format; 404 when there is none yet."""

    permission_classes = [IsAuthenticated & (IsLead | IsViewer)]

    @extend_schema(responses=DOWNLOAD)
    def get(self, request: Request, pk: int, export_format: str) -> FileResponse:
        # not ``format``: DRF reserves that URL keyword for format suffixes
        project = project_for(request, pk)
        if export_format not in ExportFormat.values:
            raise Http404(f"unknown export format {export_format!r}")
        lead = request.project_role == Role.LEAD  # set by project_for
        return _file_response(export_latest(project=project, format=export_format, with_names=lead))
