"""Account pages: accepting an invitation, changing and resetting one's own password.

Password change and reset are Django's own views (``frontend/urls_accounts.py``) with our
templates; mail goes through EMAIL_BACKEND (the console in development).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from annotator.accounts.invitations import invitation_accept_existing, invitation_accept_new, invitation_valid
from annotator.core.errors import DomainError, NotFound


class InvitationSignupForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    email = forms.EmailField(required=False, help_text="optional: lets you reset a forgotten password",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label="Password", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="Password again", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "the two passwords differ")
        return cleaned


def invite(request: HttpRequest, token: str) -> HttpResponse:
    """GET: who invites you to what. POST: a new person creates their account (username and
    password of their own) and joins; a signed-in person joins with their account. The
    link works once and expires; after that it answers 404."""
    try:
        invitation = invitation_valid(token=token)
    except NotFound as exc:
        return render(request, "frontend/invite.html", {"invalid": exc.message}, status=404)
    form = InvitationSignupForm()
    status = 200
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                invitation_accept_existing(token=token, user=request.user)
                return redirect("frontend:project", slug=invitation.project.slug)
            form = InvitationSignupForm(request.POST)
            if form.is_valid():
                user = invitation_accept_new(
                    token=token, username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"], email=form.cleaned_data["email"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("frontend:project", slug=invitation.project.slug)
        except NotFound as exc:
            return render(request, "frontend/invite.html", {"invalid": exc.message}, status=404)
        except DomainError as exc:
            field = "password1" if exc.field == "password" else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        status = 400
    context = {"invitation": invitation, "form": form}
    return render(request, "frontend/invite.html", context, status=status)
