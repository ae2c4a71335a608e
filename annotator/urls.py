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

# API clients get JSON for an unrouted /api/ URL or a crash too; pages keep Django's pages.
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.not_found"
handler500 = "api.errors.server_error"
