"""Leads' invitations: one-time links by which new people join a project (see
``annotator.accounts.invitations``). The link's secret is shown once, when it is made."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.accounts.invitations import invitation_create, invitation_mail, invitation_revoke
from annotator.accounts.models import Invitation
from annotator.accounts.selectors import invitations_of
from annotator.projects.models import Role
from annotator.projects.selectors import role_of
from api.permissions import IsLead, project_for
from api.serializers import ErrorSerializer
from api.serializers_manage import InvitationCreatedSerializer, InvitationCreateSerializer, InvitationSerializer


class InvitationListView(ListAPIView):
    """Leads: the project's invitations, newest first (paginated; never their links).
    POST makes a new one-time link for a role; with ``email`` it is mailed there too."""

    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated & IsLead]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return invitations_of(project=project_for(self.request, self.kwargs["pk"]))

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationCreatedSerializer, 400: ErrorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        project = project_for(request, pk)
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, token = invitation_create(project=project, created_by=request.user, **data.validated_data)
        url = request.build_absolute_uri(f"/invite/{token}/")
        invitation_mail(invitation=invitation, url=url)
        body = {**InvitationSerializer(invitation).data, "url": url}
        return Response(body, status=status.HTTP_201_CREATED)


class InvitationDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: OpenApiResponse(description="revoked"), 404: ErrorSerializer})
    def delete(self, request: Request, invitation_id: int) -> Response:
        """Leads: revoke an invitation of their project; its link stops working at once.
        Anyone else gets 404. Safe to repeat."""
        project_id = Invitation.objects.filter(pk=invitation_id).values_list("project_id", flat=True).first()
        if project_id is None or role_of(user=request.user, project_id=project_id) != Role.LEAD:
            raise Http404("no such invitation")
        invitation_revoke(project=project_for(request, project_id), invitation_id=invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
