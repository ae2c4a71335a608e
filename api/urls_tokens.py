"""API routes of the scoped tokens (included by api/urls.py)."""

from django.urls import path

from api.views import tokens

urlpatterns: list = [
    path("tokens/", tokens.ApiTokenListView.as_view(), name="tokens"),
    path("tokens/<int:token_id>/", tokens.ApiTokenDetailView.as_view(), name="token-detail"),
]
