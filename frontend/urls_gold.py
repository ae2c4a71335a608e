"""Pages of the gold area (included by frontend/urls.py)."""

from django.urls import path

from . import views_gold

urlpatterns: list = [
    path("p/<slug:slug>/adjudicate/", views_gold.adjudication_queue_page, name="adjudicate"),
    path("p/<slug:slug>/adjudicate/<int:sentence_id>/", views_gold.adjudicate_sentence_page, name="adjudicate-sentence"),
]
