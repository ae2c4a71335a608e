from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("", include("frontend.urls")),
]

# API clients get JSON for an unrouted /api/ URL too; pages keep Django's 404 page.
handler404 = "api.errors.not_found"
