"""Agreement API: start the job, read the latest report and the list of past ones."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.agreement.selectors import report_history, report_latest
from annotator.agreement.services import agreement_start
from annotator.core.errors import NotFound
from api.permissions import IsLead, IsViewer, project_for
from api.serializers import ErrorSerializer
from api.serializers_agreement import (
    AgreementHistorySerializer,
    AgreementJobSerializer,
    AgreementReportSerializer,
    AgreementStartSerializer,
)


class AgreementView(APIView):
    """Leads start an agreement job; poll ``GET /api/jobs/{job}/`` for its progress."""

    permission_classes = [IsAuthenticated & IsLead]

    @extend_schema(request=AgreementStartSerializer, responses={202: AgreementJobSerializer, 400: ErrorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        data = AgreementStartSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        job = agreement_start(project=project, user=request.user, fan_out=data.validated_data.get("fan_out", "auto"))
        return Response({"job": job.id}, status=status.HTTP_202_ACCEPTED)


class AgreementLatestView(APIView):
    """The latest agreement report (leads and viewers); 404 with a message when none exists."""

    permission_classes = [IsAuthenticated & (IsLead | IsViewer)]

    @extend_schema(responses={200: AgreementReportSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        stored = report_latest(project=project)
        if stored is None:
            raise NotFound("no agreement report yet: a lead starts one with POST /api/projects/{id}/agreement/")
        return Response({**stored.report, "report_id": stored.pk, "job": stored.job_id,
                         "data_version": stored.data_version})


class AgreementHistoryView(ListAPIView):
    """Past reports, newest first (paginated): when each was computed and on which data."""

    permission_classes = [IsAuthenticated & (IsLead | IsViewer)]
    serializer_class = AgreementHistorySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return report_history(project=project_for(self.request, self.kwargs["pk"]))

    @extend_schema(responses={200: AgreementHistorySerializer(many=True), 404: OpenApiResponse(description="not a member")})
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)
