"""Pages of the manage area (included by frontend/urls.py)."""

from django.urls import path

from . import views_manage

urlpatterns: list = [
    path("projects/new/", views_manage.project_new, name="manage-new"),
    path("p/<slug:slug>/settings/", views_manage.project_settings, name="manage-settings"),
    path("p/<slug:slug>/import/", views_manage.project_import, name="manage-import"),
    path("p/<slug:slug>/members/", views_manage.project_members, name="manage-members"),
]
