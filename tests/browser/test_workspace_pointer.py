"""Labels by click and touch (issue 13): a mouse-only annotator and a phone annotator each
annotate a sentence end to end, without a key press."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .test_workspace import SCHEMA_TARGET, VISIT, _annotation, _char_point, _drag, _only_sentence, _open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _word(sentence: Any, word: str) -> tuple[int, int]:
    start = sentence.text.index(word)
    return start, start + len(word)


def test_mouse_only_drag_menu_legend_stance_submit(page, live_server, make_project, artifacts_dir):
    project, user = make_project("mouse", [("A visit", VISIT)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    expect(page.locator("#ws-legend")).to_contain_text("People, named or by nickname")  # descriptions on screen

    putin = _word(sentence, "Putin")
    _drag(page, putin[0] + 1, putin[1] - 1)
    menu = page.locator("#ws-label-menu")
    expect(menu).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "workspace-label-menu.png"))
    menu.locator("[data-label=PER]").first.click()
    expect(menu).to_be_hidden()

    pyongyang = _word(sentence, "Pyongyang")
    _drag(page, pyongyang[0], pyongyang[1] - 2)
    expect(menu).to_be_visible()
    menu.locator("[data-label=GPE]").first.click()

    tuesday = _word(sentence, "Tuesday")
    point = _char_point(page, tuesday[0] + 2)
    page.mouse.click(point["x"], point["y"])  # a click selects the word; the legend applies
    expect(page.locator("#ws-selection")).to_contain_text("Tuesday")
    page.locator("#ws-legend [data-label=DATE]").click()
    page.get_by_role("button", name="against").click()
    expect(page.locator("#ws-entities li")).to_have_count(3)
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#ws-title")).to_have_text("All done")

    ann = _annotation(sentence, user)
    assert ann.status == "submitted"
    assert ann.labels["entities"] == [
        {"start": putin[0], "end": putin[1], "label": "PER"},
        {"start": pyongyang[0], "end": pyongyang[1], "label": "GPE"},
        {"start": tuesday[0], "end": tuesday[1], "label": "DATE"},
    ]
    assert ann.labels["stance"] == [{"target": SCHEMA_TARGET, "label": "against"}]
    assert page.js_errors == []


def test_label_menu_filters_as_i_type_and_escape_closes_it(page, live_server, make_project):
    project, user = make_project("menu-keys", [("A visit", VISIT)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    pyongyang = _word(sentence, "Pyongyang")
    _drag(page, pyongyang[0], pyongyang[1] - 1)
    menu = page.locator("#ws-label-menu")
    expect(menu.locator("input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(page.locator("#ws-sentence")).to_be_focused()

    _drag(page, pyongyang[0], pyongyang[1] - 1)
    page.keyboard.type("states")  # GPE's description ("Countries, cities and states ..."); s is no hotkey
    expect(menu.locator(".ws-menu-item")).to_have_count(1)
    expect(menu.locator(".ws-menu-item")).to_contain_text("GPE")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-entities")).to_contain_text("GPE “Pyongyang”")


@pytest.fixture
def phone(browser, in_flight):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    ctx.close()
    in_flight.wait_idle()


def _tap_char(page: Any, index16: int) -> None:
    p = _char_point(page, index16)
    page.touchscreen.tap(p["x"], p["y"])


def test_phone_390px_annotates_a_sentence_by_taps(phone, live_server, make_project, artifacts_dir):
    project, user = make_project("phone", [("A visit", "Kim Jong Un flew to Moscow on Tuesday.")])
    sentence = _only_sentence(project)
    sign_in(phone, live_server.url, "anna", f"/p/{project.slug}/annotate/")
    expect(phone.locator("#ws-text .seg").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    kim = _word(sentence, "Kim Jong Un")
    _tap_char(phone, kim[0] + 1)  # "Kim"
    sheet = phone.locator("#ws-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Label “Kim”")
    _tap_char(phone, kim[1] - 1)  # "Un" stretches the selection
    expect(sheet).to_contain_text("Label “Kim Jong Un”")
    phone.screenshot(path=str(artifacts_dir / "workspace-phone-sheet.png"))
    sheet.locator("[data-label=PER]").tap()
    expect(sheet).to_be_hidden()

    moscow = _word(sentence, "Moscow")
    _tap_char(phone, moscow[0] + 2)
    expect(sheet).to_contain_text("Label “Moscow”")
    sheet.locator("[data-label=GPE]").tap()
    phone.get_by_role("button", name="favor").tap()
    expect(phone.locator("#ws-entities li")).to_have_count(2)
    phone.screenshot(path=str(artifacts_dir / "workspace-phone.png"), full_page=True)
    phone.get_by_role("button", name="Submit").tap()
    expect(phone.locator("#ws-title")).to_have_text("All done")

    ann = _annotation(sentence, user)
    assert ann.status == "submitted"
    assert ann.labels["entities"] == [
        {"start": kim[0], "end": kim[1], "label": "PER"},
        {"start": moscow[0], "end": moscow[1], "label": "GPE"},
    ]
    assert ann.labels["stance"] == [{"target": SCHEMA_TARGET, "label": "favor"}]
    assert phone.js_errors == []
