"""A lead's day in real Chromium: create a project, fix its schema as they type,
import articles (a bad file, then a good one run by a real worker), invite an annotator
who chooses their own password, and see that re-adding a member says so."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

GOOD = "\n".join(
    json.dumps({"title": title, "text": text})
    for title, text in [
        ("Pact ratified", "Russia ratified the pact on Thursday. Seoul protested. Tokyo stayed silent."),
        ("Summit", "Putin met Kim in Pyongyang. The two leaders signed a treaty."),
    ]
).encode()
BAD = b'{"title": "Fine", "text": "A good line."}\n{"title": "Broken", "text": ""}\n'


def _shot(page: Any, artifacts_dir: Any, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"manage-{name}.png"), full_page=True)


def _edit_schema(page: Any, schema: dict) -> None:
    """Replace the editor's text the way typing does (input events, debounced check)."""
    page.locator("#id_schema").fill(json.dumps(schema, indent=2, ensure_ascii=False))


def test_a_lead_creates_a_project_edits_its_schema_imports_articles_and_invites_an_annotator(
    media_root: Any, browser: Any, celery_worker: Any, live_server: Any, page: Any, artifacts_dir: Any
) -> None:
    from annotator.projects.models import Membership, Project
    from annotator.projects.services import user_ensure

    lead = user_ensure(username="lead", password=PASSWORD)
    lead.is_staff = True  # PROJECT_CREATORS: staff and leads (she leads nothing yet)
    lead.save(update_fields=["is_staff"])
    sign_in(page, live_server.url, "lead", "/projects/new/")

    # -- create ---------------------------------------------------------------------
    page.fill("#id_name", "Pact watch")
    expect(page.locator("#id_slug")).to_have_value("pact-watch")
    expect(page.locator("#schema-status")).to_have_text(re.compile("valid"))
    expect(page.locator("#schema-preview kbd").first).to_have_text("p")
    expect(page.locator("#guidelines-preview h1")).to_have_text("Guidelines")
    _shot(page, artifacts_dir, "new")
    page.click("#create-project")
    page.wait_for_url("**/p/pact-watch/settings/")
    project = Project.objects.get(slug="pact-watch")
    assert Membership.objects.get(project=project, user__username="lead").role == "lead"

    # -- schema: a duplicate hotkey appears as they type, then is fixed --------------
    schema = project.label_schema
    save = page.locator("#save-schema")
    expect(save).to_be_enabled()
    schema["entity_types"][3]["hotkey"] = "P"  # clashes with PER's "p"
    _edit_schema(page, schema)
    expect(save).to_be_disabled()
    error = page.locator("#schema-errors li")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("entity_types[3].hotkey")
    expect(error).to_contain_text("already used by entity_types[0]")
    expect(page.locator("#id_schema")).to_have_attribute("aria-invalid", "true")
    _shot(page, artifacts_dir, "settings-invalid-schema")

    page.locator("#id_schema").press("End")  # a syntax slip is caught in the browser at once
    page.keyboard.type(",")
    expect(error).to_contain_text("Not valid JSON")
    expect(save).to_be_disabled()

    schema["entity_types"][3]["hotkey"] = "k"
    schema["entity_types"].append({"name": "FAC", "hotkey": "f", "color": "#d55e00"})
    _edit_schema(page, schema)
    expect(error).to_have_count(0)
    expect(page.locator("#schema-status")).to_have_text(re.compile("valid"))
    expect(page.locator("#schema-preview .preview-entities li")).to_have_count(5)
    save.click()
    expect(page.locator("#schema-form .form-status")).to_have_text("Saved.")
    project.refresh_from_db()
    assert [t["hotkey"] for t in project.label_schema["entity_types"]] == ["p", "o", "g", "k", "f"]

    page.fill("#id_guidelines", "# Rules\n\nMark **names**. <script>window.pwned = 1</script>")
    expect(page.locator("#guidelines-preview h1")).to_have_text("Rules")  # the new text, rendered by the server
    expect(page.locator("#guidelines-preview strong")).to_have_text("names")
    page.click("#guidelines-form button[type=submit]")
    expect(page.locator("#guidelines-version")).to_have_text("2")
    assert page.evaluate("window.pwned") is None
    page.fill("#id_timeout", "45")
    page.fill("#id_license", "CC BY")
    page.click("#general-form button[type=submit]")
    expect(page.locator("#general-form .form-status")).to_contain_text("license")
    page.fill("#id_license", "cc-by-4.0")
    page.click("#general-form button[type=submit]")
    expect(page.locator("#general-form .form-status")).to_have_text("Saved.")
    project.refresh_from_db()
    assert (project.assignment_timeout_minutes, project.license) == (45, "cc-by-4.0")
    _shot(page, artifacts_dir, "settings")

    # -- import: a bad line is named, then a good file runs to its summary -----------
    page.goto(f"{live_server.url}/p/pact-watch/import/")
    page.set_input_files("#id_files", [{"name": "bad.jsonl", "mimeType": "application/json", "buffer": BAD}])
    page.click("#import-submit")
    expect(page.locator("#import-error")).to_have_text("bad.jsonl, line 2: text is empty")
    _shot(page, artifacts_dir, "import-error")
    assert project.documents.count() == 0

    page.set_input_files("#id_files", [{"name": "news.jsonl", "mimeType": "application/json", "buffer": GOOD}])
    page.click("#import-submit")
    expect(page.locator("#import-error")).to_be_hidden()
    expect(page.locator("#import-result")).to_have_text(
        re.compile(r"^imported 2 articles, \d+ sentences$"), timeout=60_000
    )
    expect(page.locator("#import-progress")).to_have_attribute("value", "100")
    _shot(page, artifacts_dir, "import")
    assert project.documents.count() == 2

    # -- members: invite an annotator, who picks a password (a weak one is refused) ---
    page.goto(f"{live_server.url}/p/pact-watch/members/")
    expect(page.locator("#member-table tbody tr")).to_have_count(1)
    expect(page.locator("#id_password")).to_have_count(0)  # a lead never sets passwords
    page.select_option("#id_invite_role", "annotator")
    page.click("#invite-member button[type=submit]")
    expect(page.locator("#id_invite_url")).to_have_value(re.compile(r"/invite/[\w-]{20,}/$"))
    link = page.locator("#id_invite_url").input_value()
    guest_context = browser.new_context()
    guest = guest_context.new_page()
    guest.goto(link)
    guest.fill("#id_username", "nina")
    guest.fill("#id_password1", "123")
    guest.fill("#id_password2", "123")
    guest.click("form button[type=submit]")
    expect(guest.locator("form .error").first).to_contain_text(re.compile("password", re.I))
    guest.fill("#id_password1", "a-long-and-unusual-passphrase")
    guest.fill("#id_password2", "a-long-and-unusual-passphrase")
    guest.click("form button[type=submit]")
    guest.wait_for_url("**/p/pact-watch/")
    guest.goto(link)  # used once: dead now
    expect(guest.locator(".error")).to_contain_text("not valid")
    guest_context.close()
    page.reload()
    row = page.locator("#member-table tbody tr[data-username=nina]")
    expect(row.locator("select")).to_have_value("annotator")
    expect(page.locator("#invitation-table tbody tr").first).to_contain_text("used")
    assert Membership.objects.get(project=project, user__username="nina").role == "annotator"
    # adding her again by name says she is a member already (it used to say "Added")
    page.fill("#id_username", "nina")
    page.select_option("#id_role", "annotator")
    page.click("#add-member button[type=submit]")
    expect(page.locator("#members-message")).to_have_text("nina is already a member as annotator.")
    # the last lead cannot step down
    page.select_option("#member-table select[data-username=lead]", "viewer")
    expect(page.locator("#members-message")).to_contain_text("at least one lead")
    expect(page.locator("#member-table select[data-username=lead]")).to_have_value("lead")
    _shot(page, artifacts_dir, "members")
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_members_page_shows_progress_and_releases_an_open_assignment(
    live_server: Any, page: Any, artifacts_dir: Any
) -> None:
    from annotator.annotations.assignment import assignment_next
    from annotator.annotations.models import Assignment
    from annotator.projects.services import membership_set, project_create, user_ensure
    from tests.factories import ARTICLE, SCHEMA, add_text

    lead = user_ensure(username="lead", password=PASSWORD)
    project = project_create(slug="pact", name="Pact", label_schema=SCHEMA, created_by=lead)
    add_text(project, ARTICLE)
    anna = user_ensure(username="anna", password=PASSWORD)
    membership_set(project=project, user=anna, role="annotator")
    held = assignment_next(project=project, annotator=anna)
    assert held is not None

    sign_in(page, live_server.url, "lead", "/p/pact/members/")
    row = page.locator("#member-table tbody tr[data-username=anna]")
    expect(row.locator("td.num").nth(1)).to_have_text("1")  # open
    release = page.locator("#assignment-table button", has_text="Release")
    expect(release).to_have_count(1)
    release.focus()
    page.keyboard.press("Enter")  # keyboard reachable
    expect(page.locator("#assignment-table tbody")).to_contain_text("Nobody holds an open sentence.")
    expect(row.locator("td.num").nth(1)).to_have_text("0")
    assert not Assignment.objects.filter(pk=held.pk).exists()
    _shot(page, artifacts_dir, "members-released")
    assert page.js_errors == []  # type: ignore[attr-defined]
