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


def _bar(page: Any) -> tuple[float, float]:
    return page.evaluate("() => { const b = document.querySelector('#ws-progress progress'); return [b.value, b.max]; }")


def test_progress_bar_counts_the_whole_project_and_all_done_is_current(page, live_server, make_project):
    """Bug 1: the bar's max was the open sentences (1), so it was full after one; "All done"
    kept the numbers of the last sentence, kept Undo enabled and led nowhere."""
    project, user = make_project("progress", [("A visit", "Putin flew to Pyongyang. Kim met him at the station. They signed a pact.")])
    _open(page, live_server, project)
    expect(page.locator("#ws-progress")).to_contain_text("0 done")
    assert _bar(page) == [0, 3]
    page.keyboard.press("p")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-where")).to_contain_text("Sentence 2 of 3")
    expect(page.locator("#ws-progress")).to_contain_text("1 done")
    assert _bar(page) == [1, 3]
    page.keyboard.press("Enter")
    expect(page.locator("#ws-where")).to_contain_text("Sentence 3 of 3")
    page.keyboard.press("p")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-title")).to_have_text("All done")
    expect(page.locator("#ws-progress")).to_contain_text("3 done · 0 assigned · 0 remaining")
    assert _bar(page) == [3, 3]
    expect(page.locator("#ws-undo")).to_be_disabled()
    expect(page.locator("#ws-redo")).to_be_disabled()
    page.get_by_role("link", name="Back to the project").click()
    page.wait_for_url(f"**/p/{project.slug}/")
    assert page.js_errors == []


ARABIC = "وزير الخارجية زار القاهرة يوم الثلاثاء."


def _x_of(page: Any, selector: str, char: str) -> float:
    """Viewport x of the first ``char`` in the text of ``selector``."""
    return page.evaluate(
        """([sel, ch]) => {
          const root = document.querySelector(sel);
          const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            const i = n.data.indexOf(ch);
            if (i === -1) continue;
            const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
            return r.getBoundingClientRect().left;
          }
          throw new Error('no ' + ch + ' in ' + sel);
        }""",
        [selector, char],
    )


def test_rtl_sentence_keeps_chips_by_their_words_and_offsets_in_order(page, live_server, make_project, artifacts_dir):
    """Bug 4: the Latin chip split the Arabic run and the offsets read "25–18" (reversed)."""
    from .test_workspace import _press, _token_index

    project, user = make_project("rtl", [("Arabic", ARABIC)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    _press(page, "ArrowRight", _token_index(sentence, "القاهرة"))
    page.keyboard.press("g")
    start = sentence.text.index("القاهرة")
    end = start + len("القاهرة")
    first, last = str(start), str(end)
    assert first[0] != last[0]
    # Offsets read start–end, left to right, in the entity list and the selection line.
    assert _x_of(page, "#ws-entities li", first[0]) < _x_of(page, "#ws-entities li", "–") < _x_of(page, "#ws-entities li", last[0])
    assert _x_of(page, "#ws-selection", first[0]) < _x_of(page, "#ws-selection", last[0])
    # The sentence reads right to left; the GPE chip sits at the (left) end of its word.
    expect(page.locator("#ws-text")).to_have_attribute("dir", "auto")
    word = page.locator("#ws-text .seg.ent").bounding_box()
    chip = page.locator("#ws-text .chip[data-entity]").bounding_box()
    assert abs((chip["x"] + chip["width"]) - word["x"]) < 12, (chip, word)
    page.screenshot(path=str(artifacts_dir / "workspace-rtl.png"))
