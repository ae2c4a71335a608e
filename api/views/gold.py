"""Gold API (leads only): start aggregation, read the adjudication queue and one sentence's
versions, save gold with provenance, reopen it. Never shows annotators' labels to anyone but
a lead: an annotator gets 403 on project routes and 404 on sentence routes, a non-member 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.core.errors import Conflict
from annotator.documents.models import Sentence
from annotator.gold.models import Gold
from annotator.gold.selectors import adjudication_detail, adjudication_queue, gold_data, queue_neighbours
from annotator.gold.services import gold_aggregate_start, gold_reopen, gold_save
from annotator.projects.models import Role
from annotator.projects.selectors import role_of
from api.permissions import IsLead, project_for
from api.serializers import ErrorSerializer, JobStartedSerializer
from api.serializers_gold import (
    AdjudicationSerializer,
    AggregateStartSerializer,
    GoldConflictSerializer,
    GoldSaveSerializer,
    GoldSerializer,
    QueueRowSerializer,
)


def lead_sentence(request: Request, sentence_id: int) -> Sentence:
    """The sentence if the caller leads its project now, else 404 -- the same answer
    for an unknown id and another project's sentence, so nothing is revealed."""
    sentence = Sentence.objects.select_related("project", "document").filter(pk=sentence_id).first()
    if sentence is None or role_of(user=request.user, project_id=sentence.project_id) != Role.LEAD:
        raise Http404("no such sentence")
    return sentence


class AggregateView(APIView):
    """Leads start aggregation into candidate gold; poll ``GET /api/jobs/{job}/``."""

    permission_classes = [IsAuthenticated & IsLead]

    @extend_schema(request=AggregateStartSerializer, responses={202: JobStartedSerializer, 400: ErrorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        data = AggregateStartSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        job = gold_aggregate_start(project=project, user=request.user, **data.validated_data)
        return Response({"job": job.id}, status=status.HTTP_202_ACCEPTED)


class AdjudicationQueueView(ListAPIView):
    """Sentences waiting for a lead, worst first (paginated)."""

    permission_classes = [IsAuthenticated & IsLead]
    serializer_class = QueueRowSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return adjudication_queue(project=project_for(self.request, self.kwargs["pk"]))


class AdjudicationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AdjudicationSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """Every annotator's submitted version, the aggregation candidate, the current gold, its
        history and the neighbours in the queue."""
        sentence = lead_sentence(request, pk)
        detail = adjudication_detail(sentence=sentence)
        detail["queue"] = queue_neighbours(project=sentence.project, sentence_id=sentence.pk)
        return Response(AdjudicationSerializer(detail).data)


class GoldView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=GoldSaveSerializer,
        responses={200: GoldSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: GoldConflictSerializer},
    )
    def put(self, request: Request, pk: int) -> Response:
        """Save the gold of a sentence with its provenance (who, when, which annotations).
        ``source`` becomes ``accepted`` when the labels are exactly the one named annotation's,
        else ``adjudicated``. A stale ``version`` gets 409 with the stored gold in ``current``."""
        sentence = lead_sentence(request, pk)
        body = request.data if isinstance(request.data, dict) else {}
        try:
            gold = gold_save(
                sentence=sentence,
                user=request.user,
                labels=body.get("labels"),
                annotation_ids=body.get("annotation_ids", []),
                version=body.get("version"),
            )
        except Conflict as exc:
            current = Gold.objects.filter(sentence=sentence).select_related("decided_by").first()
            return Response(
                {"detail": exc.message, "field": exc.field, "errors": exc.errors,
                 "current": gold_data(current) if current else None},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(GoldSerializer(gold_data(gold)).data)


class GoldReopenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: GoldSerializer, 404: ErrorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Put the sentence's gold back in the adjudication queue (history kept)."""
        sentence = lead_sentence(request, pk)
        gold = gold_reopen(sentence=sentence, user=request.user)
        return Response(GoldSerializer(gold_data(gold)).data)
