"""Pages of the agreement area (included by frontend/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
