"""Pages of the agreement area (included by frontend/urls.py)."""

from django.urls import path

from . import views_agreement

urlpatterns: list = [
    path("p/<slug:slug>/agreement/", views_agreement.agreement_dashboard, name="agreement"),
    path("p/<slug:slug>/agreement/sentences/<int:sentence_id>/", views_agreement.agreement_sentence,
         name="agreement-sentence"),
]
