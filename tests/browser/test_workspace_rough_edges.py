"""Workspace rough edges of issue 13: each test failed before its fix."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .test_workspace import VISIT, _annotation, _only_sentence, _open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enter_on_the_conflict_banner_never_discards_my_change(context, live_server, make_project):
    """Bug 2: the banner used to focus "Reload the saved version"; Enter dropped my work."""
    project, user = make_project("conflict-enter", [("Tabs", VISIT)])
    sentence = _only_sentence(project)
    first = context.new_page()
    _open(first, live_server, project)
    second = context.new_page()
    second.goto(f"{live_server.url}/p/{project.slug}/annotate/")
    expect(second.locator("#ws-text .seg").first).to_be_visible()

    first.keyboard.press("p")
    first.keyboard.press("Control+s")
    expect(first.locator("#ws-save-state")).to_contain_text("Saved (version 1")

    second.keyboard.press("ArrowRight")
    second.keyboard.press("o")
    second.keyboard.press("Control+s")
    expect(second.locator("#ws-conflict")).to_be_visible()
    expect(second.locator("#ws-conflict-reload")).not_to_be_focused()
    second.keyboard.press("Enter")  # out of habit
    second.keyboard.press("Space")
    expect(second.locator("#ws-conflict")).to_be_visible()
    expect(second.locator("#ws-entities")).to_contain_text("ORG")  # my change is still here
    assert _annotation(sentence, user).version == 1
    second.get_by_role("button", name="Keep mine (save over it)").click()
    expect(second.locator("#ws-save-state")).to_contain_text("Saved (version 2")
