from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.jobs.models import Job
from annotator.jobs.selectors import job_public_state
from annotator.projects.selectors import role_of
from api.serializers import JobSerializer


class JobDetailView(APIView):
    """A background job's public state. Visible to its creator and the project's leads."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: JobSerializer})
    def get(self, request: Request, pk: int) -> Response:
        job = Job.objects.filter(pk=pk).first()
        if job is None:
            raise Http404("no such job")
        allowed = job.created_by_id == request.user.id or (
            job.project_id is not None and role_of(user=request.user, project_id=job.project_id) == "lead"
        )
        if not allowed:
            raise Http404("no such job")
        return Response(JobSerializer(job_public_state(job)).data)
