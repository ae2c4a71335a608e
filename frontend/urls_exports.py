"""Pages of the exports area (included by frontend/urls.py)."""

from django.urls import path

from . import views_exports

urlpatterns: list = [
    path("p/<slug:slug>/exports/", views_exports.exports_page, name="exports"),
]
