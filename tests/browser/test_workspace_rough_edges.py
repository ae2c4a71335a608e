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


def test_cursor_steps_over_whole_emoji_even_on_tokens_stored_split(page, live_server, make_project):
    """Bug 5: 👩‍👩‍👧 was five tokens (two of them lone ZWJs) and a drag over "Ukraine" stored
    "Ukraine fled". Tokens stored that way before the server fix are merged in the browser."""
    text = "The family 👩‍👩‍👧 fled Ukraine 🇺🇦 today."
    project, user = make_project("graphemes", [("Emoji", text)])
    sentence = _only_sentence(project)
    words = ["The", "family", "👩", "\u200d", "👩", "\u200d", "👧", "fled", "Ukraine", "🇺", "🇦", "today", "."]
    at, split = 0, []
    for w in words:  # as spaCy cut it
        at = sentence.text.index(w, at)
        split.append([at, at + len(w)])
        at += len(w)
    sentence.tokens = split
    sentence.save(update_fields=["tokens"])
    _open(page, live_server, project)

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#ws-selection")).to_contain_text("“👩‍👩‍👧”")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#ws-selection")).to_contain_text("“fled”")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#ws-selection")).to_contain_text("“🇺🇦”")
    ukraine = sentence.text.index("Ukraine")
    from .test_workspace import _drag, _utf16

    _drag(page, _utf16(sentence.text, ukraine) + 1, _utf16(sentence.text, ukraine) + 5)
    expect(page.locator("#ws-selection")).to_have_text(f"“Ukraine” ({ukraine}–{ukraine + 7})")
    page.keyboard.press("g")
    page.keyboard.press("Control+s")
    expect(page.locator("#ws-save-state")).to_contain_text("Saved (version 1")
    assert _annotation(sentence, user).labels["entities"] == [{"start": ukraine, "end": ukraine + 7, "label": "GPE"}]
