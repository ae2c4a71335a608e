"""Pages of the exports area (included by frontend/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
