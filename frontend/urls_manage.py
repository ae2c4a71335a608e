"""Pages of the manage area (included by frontend/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
