from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .throttle import client_address, signin_check, signin_failed, signin_succeeded


class ThrottleMixin:
    """The shared sign-in throttle in front of a Django authentication form."""

    def clean(self):  # type: ignore[no-untyped-def]
        request = getattr(self, "request", None)
        address = client_address(request.META) if request is not None else "unknown"
        username = str(self.data.get("username", ""))  # type: ignore[attr-defined]
        verdict = signin_check(address=address, username=username)
        if not verdict.allowed:
            raise ValidationError(verdict.reason, code="throttled")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except ValidationError:
            signin_failed(address=address, username=username)
            raise
        signin_succeeded(address=address, username=username)
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """Django's sign-in form with the shared throttle in front of it."""


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin's sign-in form, throttled exactly like the sign-in page."""
