from django.contrib import admin
from django.urls import include, path

from annotator.accounts.forms import ThrottledAdminAuthenticationForm

# The admin's sign-in goes through the same throttle as the sign-in page and the token endpoint.
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("", include("frontend.urls")),
]

# API clients get JSON for an unrouted /api/ URL too; pages keep Django's 404 page.
handler404 = "api.errors.not_found"
