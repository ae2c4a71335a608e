"""Account pages (included by frontend/urls.py): invitations, password change and reset."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views_accounts

FORM = "frontend/account_form.html"
MESSAGE = "frontend/account_message.html"

urlpatterns: list = [
    path("invite/<str:token>/", views_accounts.invite, name="invite"),
    path("account/password/", auth_views.PasswordChangeView.as_view(
        template_name=FORM, success_url=reverse_lazy("frontend:password-change-done"),
        extra_context={"title": "Change your password", "submit": "Change password"},
    ), name="password-change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name=MESSAGE, extra_context={"title": "Password changed", "message": "Your password is changed."},
    ), name="password-change-done"),
    path("account/reset/", auth_views.PasswordResetView.as_view(
        template_name=FORM, success_url=reverse_lazy("frontend:password-reset-done"),
        email_template_name="frontend/password_reset_email.txt",
        subject_template_name="frontend/password_reset_subject.txt",
        extra_context={"title": "Reset your password", "submit": "Send me a link",
                       "intro": "Enter the email address of your account; we mail you a link to choose a new password."},
    ), name="password-reset"),
    path("account/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name=MESSAGE, extra_context={
            "title": "Check your mail",
            "message": "If an account has that address, a link to choose a new password is on its way.",
        },
    ), name="password-reset-done"),
    path("account/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name=FORM, success_url=reverse_lazy("frontend:password-reset-complete"),
        extra_context={"title": "Choose a new password", "submit": "Set password",
                       "invalid": "This link is not valid any more (used or expired): ask for a new one."},
    ), name="password-reset-confirm"),
    path("account/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name=MESSAGE, extra_context={"title": "Password set", "message": "Your new password is set; sign in with it."},
    ), name="password-reset-complete"),
]
