"""Invitations: one-time, expiring links by which new people join a project with a
password of their own choosing (issue 9 item 1, issue 13)."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from annotator.accounts.invitations import invitation_accept_new, invitation_create
from annotator.accounts.models import Invitation
from annotator.core.errors import DomainError, NotFound
from annotator.projects.models import Membership, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CHOSEN = "my-own-long-passphrase-7"


@pytest.fixture
def team():
    project = ProjectFactory(slug="pact", name="Pact")
    lead = MembershipFactory(project=project, role=Role.LEAD, user=UserFactory(username="lea")).user
    annotator = MembershipFactory(project=project, role=Role.ANNOTATOR, user=UserFactory(username="ann")).user
    return project, lead, annotator


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def invite(project, lead, **body) -> dict:  # type: ignore[no-untyped-def]
    response = api(lead).post(f"/api/projects/{project.id}/invitations/", {"role": "annotator", **body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def signup(link: str, username: str = "nina", password: str = CHOSEN, client: Client | None = None):  # type: ignore[no-untyped-def]
    return (client or Client()).post(
        path_of(link), {"username": username, "email": "", "password1": password, "password2": password}
    )


def test_a_lead_makes_a_link_that_is_shown_once_and_stored_hashed(team):
    project, lead, _ = team
    created = invite(project, lead)
    token = created["url"].rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    row = Invitation.objects.get(pk=created["id"])
    assert token not in row.token_hash and row.token_hash != token
    assert row.expires_at - timezone.now() > timedelta(days=6, hours=23)  # INVITATION_DAYS = 7
    listed = api(lead).get(f"/api/projects/{project.id}/invitations/").json()["results"]
    assert listed[0]["state"] == "pending" and "url" not in listed[0] and token not in str(listed)


def test_a_new_person_chooses_their_own_password_and_joins_once(team):
    project, lead, _ = team
    link = invite(project, lead)["url"]
    page = Client().get(path_of(link))
    assert page.status_code == 200 and b"Join Pact" in page.content
    response = signup(link)
    assert response.status_code == 302 and response.url == "/p/pact/"
    nina = get_user_model().objects.get(username="nina")
    assert nina.check_password(CHOSEN)
    assert Membership.objects.get(project=project, user=nina).role == Role.ANNOTATOR
    again = signup(link, username="mallory")
    assert again.status_code == 404 and b"not valid" in again.content
    assert not get_user_model().objects.filter(username="mallory").exists()
    assert Client().get(path_of(link)).status_code == 404
    listed = api(lead).get(f"/api/projects/{project.id}/invitations/").json()["results"]
    assert (listed[0]["state"], listed[0]["used_by"]) == ("used", "nina")


def test_an_expired_link_does_not_work(team):
    project, lead, _ = team
    created = invite(project, lead, days=1)
    Invitation.objects.filter(pk=created["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert signup(created["url"]).status_code == 404
    assert not get_user_model().objects.filter(username="nina").exists()


def test_a_revoked_link_does_not_work_and_only_the_lead_can_revoke(team):
    project, lead, annotator = team
    created = invite(project, lead)
    outsider = MembershipFactory(role=Role.LEAD).user
    for user in (annotator, outsider):
        assert api(user).delete(f"/api/invitations/{created['id']}/").status_code == 404
    assert Client().get(path_of(created["url"])).status_code == 200
    assert api(lead).delete(f"/api/invitations/{created['id']}/").status_code == 204
    assert api(lead).delete(f"/api/invitations/{created['id']}/").status_code == 204  # safe to repeat
    assert signup(created["url"]).status_code == 404


def test_a_refused_password_or_taken_name_keeps_the_link_usable(team):
    project, lead, _ = team
    link = invite(project, lead)["url"]
    weak = signup(link, password="123")
    assert weak.status_code == 400 and b"too short" in weak.content
    taken = signup(link, username="ANN")  # "ann" exists: names are unique regardless of case
    assert taken.status_code == 400 and b"taken" in taken.content
    markup = signup(link, username="<b>x</b>")
    assert markup.status_code == 400
    assert get_user_model().objects.count() == 2
    assert signup(link).status_code == 302


def test_a_signed_in_person_joins_with_their_account_and_a_member_keeps_their_role(team):
    project, lead, annotator = team
    someone = UserFactory(username="sam")
    client = Client()
    client.force_login(someone)
    link = invite(project, lead, role="viewer")["url"]
    assert b"Join as sam" in client.get(path_of(link)).content
    assert client.post(path_of(link)).status_code == 302
    assert Membership.objects.get(project=project, user=someone).role == Role.VIEWER
    someone.refresh_from_db()
    assert someone.check_password("pw-accord-test")
    lead_link = invite(project, lead, role="viewer")["url"]
    client.force_login(lead)
    client.post(path_of(lead_link))
    assert Membership.objects.get(project=project, user=lead).role == Role.LEAD  # never demoted


def test_an_invitation_with_an_email_is_mailed(team):
    project, lead, _ = team
    created = invite(project, lead, email="nina@example.org")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.org"]
    assert created["url"] in mail.outbox[0].body


@pytest.mark.parametrize(("body", "field"), [({"role": "boss"}, "role"), ({"days": 0}, "days"), ({"days": 91}, "days")])
def test_a_bad_invitation_is_a_400_naming_the_field(team, body, field):
    project, lead, _ = team
    response = api(lead).post(f"/api/projects/{project.id}/invitations/", {"role": "annotator", **body}, format="json")
    assert response.status_code == 400 and response.json()["field"] == field


def test_a_token_of_the_wrong_shape_is_simply_not_found():
    for token in ("", "x", "x" * 500):
        with pytest.raises(NotFound):
            invitation_accept_new(token=token, username="nina", password=CHOSEN)


@pytest.mark.django_db(transaction=True)
def test_two_people_following_one_link_at_once_make_one_account():
    project = ProjectFactory()
    lead = MembershipFactory(project=project, role=Role.LEAD).user
    _, token = invitation_create(project=project, role=Role.ANNOTATOR, created_by=lead)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def follow(name: str) -> None:
        barrier.wait()
        try:
            invitation_accept_new(token=token, username=name, password=CHOSEN)
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=follow, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert get_user_model().objects.filter(username__in=["first", "second"]).count() == 1


def test_a_project_name_with_a_line_break_still_mails_the_invitation(team):
    project, lead, _ = team
    project.name = "Pact\nBcc: victim@example.org"
    project.save(update_fields=["name"])
    invite(project, lead, email="nina@example.org")
    assert len(mail.outbox) == 1 and "\n" not in mail.outbox[0].subject
