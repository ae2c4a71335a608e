"""API routes of the manage area (included by api/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
