"""API routes of the agreement area (included by api/urls.py)."""

from django.urls import path

from api.views import agreement

urlpatterns: list = [
    path("projects/<int:pk>/agreement/", agreement.AgreementView.as_view(), name="agreement"),
    path("projects/<int:pk>/agreement/latest/", agreement.AgreementLatestView.as_view(), name="agreement-latest"),
    path("projects/<int:pk>/agreement/reports/", agreement.AgreementHistoryView.as_view(), name="agreement-reports"),
]
