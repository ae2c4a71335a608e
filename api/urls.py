from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import annotations, auth, jobs, projects

app_name = "api"

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", auth.TokenRevokeView.as_view(), name="token-revoke"),
    path("me/", auth.MeView.as_view(), name="me"),
    path("projects/", projects.ProjectListView.as_view(), name="projects"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project"),
    path("projects/<int:pk>/imports/", projects.ProjectImportView.as_view(), name="project-imports"),
    path("projects/<int:pk>/next/", annotations.NextView.as_view(), name="next"),
    path("projects/<int:pk>/queue/", annotations.QueueView.as_view(), name="queue"),
    path("projects/<int:pk>/progress/", annotations.ProgressView.as_view(), name="progress"),
    path("projects/<int:pk>/assignments/", annotations.AssignmentListView.as_view(), name="assignments"),
    path("assignments/<int:pk>/", annotations.AssignmentDetailView.as_view(), name="assignment"),
    path("sentences/<int:pk>/", annotations.SentenceView.as_view(), name="sentence"),
    path("sentences/<int:pk>/annotation/", annotations.AnnotationView.as_view(), name="annotation"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job"),
    path("", include("api.urls_agreement")),
    path("", include("api.urls_gold")),
    path("", include("api.urls_exports")),
    path("", include("api.urls_manage")),
    path("", include("api.urls_tokens")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file (?script): no inline script for the CSP
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
]
