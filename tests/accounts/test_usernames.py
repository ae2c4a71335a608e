"""Usernames are plain and unambiguous (issue 9 item 20): NFKC-normalised, no markup,
whitespace or control characters, unique regardless of case."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotator.accounts.services import user_create
from annotator.accounts.usernames import username_key, username_normalize, username_problem
from annotator.core.errors import DomainError
from tests.factories import ProjectFactory, UserFactory


@pytest.mark.parametrize("name", [
    "<b>x</b>", "a&b", 'say"hi', "o'neil", "two words", "tab\there", "nul\x00", "bell\x07",
    "\u202eevil", "zero\u200bwidth", "", "x" * 151,
])
def test_a_username_with_markup_whitespace_or_control_characters_is_refused(name):
    assert username_problem(username_normalize(name)) is not None


@pytest.mark.parametrize(("typed", "stored"), [("ｌｅａｄ", "lead"), ("ﬁona", "fiona"), ("  ana  ", "ana"),
                                                ("José", "José"), ("ana.b-c_d@x+y", "ana.b-c_d@x+y")])
def test_usernames_are_nfkc_normalised_and_plain_names_pass(typed, stored):
    assert username_normalize(typed) == stored and username_problem(stored) is None


def test_names_differing_only_in_case_or_compatibility_form_are_the_same_name():
    assert username_key("Ana") == username_key("ana") == username_key("ＡＮＡ")
    assert username_key("Straße") == username_key("STRASSE")


@pytest.mark.django_db
@pytest.mark.parametrize("taken", ["ANA", "Ana", "ａｎａ"])
def test_a_new_account_cannot_take_another_spelling_of_an_existing_name(taken):
    UserFactory(username="ana")
    with pytest.raises(DomainError) as refused:
        user_create(username=taken)
    assert refused.value.field == "username"
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_add_member_on_the_command_line_refuses_a_bad_name_and_keeps_creating_users():
    """The CLI is a server administrator's: it may create users and set passwords
    (CONTRACT.md), but the name rules hold there too."""
    ProjectFactory(slug="pact")
    with pytest.raises(CommandError, match="username"):
        call_command("add_member", "pact", "<script>", "--role", "annotator")
    call_command("add_member", "pact", "ｚｏｅ", "--role", "annotator", "--password", "a-long-cli-passphrase-5")
    assert get_user_model().objects.get(username="zoe").check_password("a-long-cli-passphrase-5")
