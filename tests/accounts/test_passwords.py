"""Self-service password change (signed in) and reset by mail (Django's views, our pages)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-passphrase-31"


def can_sign_in(username: str, password: str) -> bool:
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_a_signed_in_user_changes_their_own_password():
    user = UserFactory(username="ann")
    client = Client()
    client.force_login(user)
    page = client.get("/account/password/")
    assert page.status_code == 200 and b"Change your password" in page.content
    wrong_old = client.post("/account/password/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW})
    assert wrong_old.status_code == 200
    done = client.post(
        "/account/password/", {"old_password": "pw-accord-test", "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302 and done.url == "/account/password/done/"
    assert can_sign_in("ann", NEW) and not can_sign_in("ann", "pw-accord-test")


def test_the_password_change_page_needs_a_signed_in_user():
    response = Client().get("/account/password/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_forgotten_password_is_reset_through_a_mailed_one_time_link():
    UserFactory(username="ann", email="ann@example.org")
    assert b"/account/reset/" in Client().get("/login/").content
    sent = Client().post("/account/reset/", {"email": "ann@example.org"})
    assert sent.status_code == 302 and sent.url == "/account/reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/account/reset/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == "/account/reset/done/"
    assert can_sign_in("ann", NEW)
    reused = Client().get(link, follow=True)
    assert b"not valid" in reused.content


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing():
    response = Client().post("/account/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response.url == "/account/reset/sent/"
    assert mail.outbox == []
    assert get_user_model().objects.count() == 0


def test_development_mails_go_to_the_console_by_default():
    from annotator.settings import env

    assert env.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
