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
    page.keyboard.press("Enter")  # the second Enter confirms an untouched sentence (bug 8)
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


def _on_top(page: Any, selector: str) -> bool:
    """Whether the element's centre is not covered by another element."""
    return page.evaluate(
        """(sel) => { const e = document.querySelector(sel); const r = e.getBoundingClientRect();
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return e === top || e.contains(top); }""",
        selector,
    )


def test_guidelines_panel_leaves_its_toggle_free_and_has_a_close_button(page, live_server, make_project):
    """Bug 6: the panel covered the Guidelines button and only Esc / Ctrl+G closed it."""
    project, _ = make_project("guide", [("A visit", VISIT)])
    _open(page, live_server, project)
    page.click("#ws-guidelines-toggle")
    panel = page.locator("#ws-guidelines")
    expect(panel).to_be_visible()
    assert _on_top(page, "#ws-guidelines-toggle")
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_hidden()
    expect(page.locator("#ws-sentence")).to_be_focused()
    page.click("#ws-guidelines-toggle")
    expect(panel).to_be_visible()
    page.click("#ws-guidelines-toggle")  # the toggle closes it again
    expect(panel).to_be_hidden()


def test_a_note_is_saved_with_the_annotation_and_shown_again(page, live_server, make_project):
    """Bug 9: guidelines ask for a short note when unsure; the workspace had no field."""
    project, user = make_project("note", [("A visit", VISIT)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    page.keyboard.press("p")
    page.fill("#ws-note", "Is Putin here the person or the government?")
    page.click("#ws-unsure")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#ws-title")).to_have_text("All done")
    ann = _annotation(sentence, user)
    assert ann.note == "Is Putin here the person or the government?"
    assert ann.unsure is True
    page.goto(f"{live_server.url}/p/{project.slug}/annotate/?sentence={sentence.pk}")
    expect(page.locator("#ws-note")).to_have_value("Is Putin here the person or the government?")


def test_a_note_alone_is_autosaved_as_a_draft(page, live_server, make_project):
    project, user = make_project("note-draft", [("A visit", VISIT)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    page.fill("#ws-note", "garbled?")
    expect(page.locator("#ws-save-state")).to_contain_text("Saved (version 1")
    assert _annotation(sentence, user).note == "garbled?"


def test_enter_on_an_untouched_sentence_with_stance_unset_warns_first(page, live_server, make_project):
    """Bug 8 (workspace part): an untouched sentence went in with no stance and no word."""
    project, user = make_project("untouched", [("A visit", VISIT)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    page.keyboard.press("Enter")
    expect(page.locator("#ws-message")).to_contain_text("Stance on “the Russia–North Korea mutual defence pact” is not set")
    expect(page.locator("#ws-title")).not_to_have_text("All done")
    assert _annotation(sentence, user) is None
    page.keyboard.press("Enter")  # on purpose: a second Enter submits it as it is
    expect(page.locator("#ws-title")).to_have_text("All done")
    assert _annotation(sentence, user).status == "submitted"


def test_required_stance_blocks_submission_with_the_target_named(page, live_server, make_project):
    """Bug 8: when the schema says ``"stance": {"required": true}`` a second Enter must not
    submit either (nor a labelled sentence without stance): the message names the target."""
    project, user = make_project("required-stance", [("A visit", VISIT)])
    project.label_schema = {**project.label_schema, "stance": {**project.label_schema["stance"], "required": True}}
    project.save(update_fields=["label_schema"])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # not a confirmation when the schema requires stance
    expect(page.locator("#ws-message")).to_contain_text(
        "Stance on “the Russia–North Korea mutual defence pact” is required")
    page.keyboard.press("p")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-message")).to_contain_text("is required")
    expect(page.locator("#ws-title")).not_to_have_text("All done")
    saved = _annotation(sentence, user)
    assert saved is None or saved.status != "submitted"
