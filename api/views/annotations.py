"""The annotator's API: next sentence, own annotation (blind: never another's)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.assignment import assignment_create, assignment_next, assignment_release
from annotator.annotations.models import Assignment
from annotator.annotations.selectors import (
    annotation_of,
    assignments_of_project,
    progress_of,
    queue_of,
    sentence_for_annotator,
    work_item,
)
from annotator.annotations.services import annotation_put
from annotator.core.errors import Conflict
from annotator.documents.models import Sentence
from annotator.projects.models import Role
from annotator.projects.selectors import role_of
from api.permissions import IsAnnotator, IsLead, project_for
from api.serializers import (
    AnnotationSerializer,
    AssignmentCreateSerializer,
    AssignmentSerializer,
    ConflictSerializer,
    ErrorSerializer,
    ProgressSerializer,
    QueueItemSerializer,
    WorkItemSerializer,
    annotation_data,
)


def _work_item(sentence: Sentence, user) -> dict:  # type: ignore[no-untyped-def]
    item = work_item(sentence=sentence, annotator=user)
    annotation = item["annotation"]
    return {**item, "annotation": annotation_data(annotation) if annotation else None}


def _own_sentence(request: Request, sentence_id: int) -> Sentence:
    """A sentence the caller may annotate, else 404 (blind and non-revealing)."""
    sentence = sentence_for_annotator(sentence_id=sentence_id, annotator=request.user)
    if sentence is None:
        raise Http404("no such sentence in your assignments")
    return sentence


class NextView(APIView):
    permission_classes = [IsAuthenticated & IsAnnotator]

    @extend_schema(responses={200: WorkItemSerializer, 204: OpenApiResponse(description="nothing left to annotate")})
    def get(self, request: Request, pk: int) -> Response:
        """The caller's next sentence (their open one first), with context and their draft."""
        project = project_for(request, pk)
        assignment = assignment_next(project=project, annotator=request.user)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        sentence = assignment.sentence
        sentence.project = project
        return Response(_work_item(sentence, request.user))


class SentenceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: WorkItemSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """A sentence from the caller's own assignments (to go back to earlier work)."""
        return Response(_work_item(_own_sentence(request, pk), request.user))


class AnnotationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AnnotationSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """The caller's own annotation of the sentence; 404 if none."""
        sentence = _own_sentence(request, pk)
        annotation = annotation_of(sentence_id=sentence.pk, annotator=request.user)
        if annotation is None:
            raise Http404("you have not annotated this sentence")
        return Response(annotation_data(annotation))

    @extend_schema(
        request=AnnotationSerializer,
        responses={200: AnnotationSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ConflictSerializer},
    )
    def put(self, request: Request, pk: int) -> Response:
        """Save the caller's annotation. ``version`` must be the one last read (0 when
        new); a stale one gets 409 with the stored annotation in ``current``."""
        try:
            annotation = annotation_put(sentence_id=pk, annotator=request.user, payload=request.data)
        except Conflict as exc:
            current = getattr(exc, "current", None)
            return Response(
                {
                    "detail": exc.message,
                    "field": exc.field,
                    "errors": exc.errors,
                    "current": annotation_data(current) if current else None,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(annotation_data(annotation))


class ProgressView(APIView):
    permission_classes = [IsAuthenticated & IsAnnotator]

    @extend_schema(responses={200: ProgressSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """The caller's counts now: done, assigned (open), remaining (what "All done" shows)."""
        project = project_for(request, pk)
        return Response(progress_of(project=project, annotator=request.user))


class QueueView(ListAPIView):
    """The caller's assignments in document order, with their own status."""

    serializer_class = QueueItemSerializer
    permission_classes = [IsAuthenticated & IsAnnotator]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        project = project_for(self.request, self.kwargs["pk"])
        return queue_of(project=project, annotator=self.request.user)


class AssignmentListView(ListAPIView):
    """Leads: who has what. ``?annotator=<username>&state=open|done|skipped`` filter.
    POST gives a sentence to an annotator by hand (still at most k per sentence)."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsAuthenticated & IsLead]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        project = project_for(self.request, self.kwargs["pk"])
        queryset = assignments_of_project(project=project)
        if annotator := self.request.query_params.get("annotator"):
            queryset = queryset.filter(annotator__username=annotator)
        if state := self.request.query_params.get("state"):
            queryset = queryset.filter(state=state)
        return queryset

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer, 400: ErrorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        data = AssignmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sentence = Sentence.objects.filter(pk=data.validated_data["sentence"], project=project).first()
        user = get_user_model().objects.filter(username=data.validated_data["annotator"]).first()
        if sentence is None:
            return Response({"detail": "no such sentence in this project", "field": "sentence", "errors": []}, status=400)
        if user is None:
            return Response({"detail": "no such user", "field": "annotator", "errors": []}, status=400)
        assignment = assignment_create(project=project, sentence=sentence, annotator=user)
        assignment = assignments_of_project(project=project).get(pk=assignment.pk)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None, 400: ErrorSerializer})
    def delete(self, request: Request, pk: int) -> Response:
        """Leads: take an open sentence back from an annotator (it returns to the pool)."""
        assignment = Assignment.objects.filter(pk=pk).first()
        # One answer for an unknown id and another project's assignment.
        if assignment is None or role_of(user=request.user, project_id=assignment.project_id) != Role.LEAD:
            raise Http404("no such assignment")
        assignment_release(assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)
