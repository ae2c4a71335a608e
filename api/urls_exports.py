"""API routes of the exports area (included by api/urls.py)."""

from django.urls import path

from api.views import exports

urlpatterns: list = [
    path("projects/<int:pk>/exports/", exports.ProjectExportsView.as_view(), name="project-exports"),
    path("projects/<int:pk>/exports/latest/<str:export_format>/", exports.LatestExportView.as_view(),
         name="export-latest"),
    path("projects/<int:pk>/exports/latest/<str:export_format>/download/", exports.LatestExportDownloadView.as_view(),
         name="export-latest-download"),
    path("exports/<int:export_id>/", exports.ExportDetailView.as_view(), name="export"),
    path("exports/<int:export_id>/download/", exports.ExportDownloadView.as_view(), name="export-download"),
]
