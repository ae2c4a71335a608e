from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .throttle import client_address, signin_check, signin_failed, signin_succeeded


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form with the shared throttle in front of it."""

    def clean(self):  # type: ignore[no-untyped-def]
        address = client_address(self.request.META) if self.request else "unknown"
        username = self.data.get("username", "")
        verdict = signin_check(address=address, username=username)
        if not verdict.allowed:
            raise ValidationError(verdict.reason, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            signin_failed(address=address, username=username)
            raise
        signin_succeeded(address=address, username=username)
        return cleaned
