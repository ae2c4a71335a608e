"""API routes of the gold area (included by api/urls.py)."""

from django.urls import path

from api.views import gold

urlpatterns: list = [
    path("projects/<int:pk>/aggregate/", gold.AggregateView.as_view(), name="gold-aggregate"),
    path("projects/<int:pk>/adjudication/", gold.AdjudicationQueueView.as_view(), name="adjudication-queue"),
    path("sentences/<int:pk>/adjudication/", gold.AdjudicationView.as_view(), name="adjudication"),
    path("sentences/<int:pk>/gold/", gold.GoldView.as_view(), name="gold"),
    path("sentences/<int:pk>/gold/reopen/", gold.GoldReopenView.as_view(), name="gold-reopen"),
]
