"""API routes of the manage area (included by api/urls.py)."""

from django.urls import path

from api.views import invitations, manage

urlpatterns: list = [
    path("projects/<int:pk>/members/", manage.MemberListView.as_view(), name="members"),
    path("projects/<int:pk>/invitations/", invitations.InvitationListView.as_view(), name="invitations"),
    path("invitations/<int:invitation_id>/", invitations.InvitationDetailView.as_view(), name="invitation"),
    path("projects/<int:pk>/members/<str:username>/", manage.MemberDetailView.as_view(), name="member"),
    path(
        "projects/<int:pk>/schema/validate/", manage.ProjectSchemaValidateView.as_view(), name="project-schema-validate"
    ),
    path("projects/<int:pk>/schema/impact/", manage.ProjectSchemaImpactView.as_view(), name="project-schema-impact"),
    path("label-schema/validate/", manage.LabelSchemaValidateView.as_view(), name="label-schema-validate"),
    path("markdown/preview/", manage.MarkdownPreviewView.as_view(), name="markdown-preview"),
]
