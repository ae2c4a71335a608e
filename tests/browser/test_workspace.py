"""The annotator workspace in real Chromium (issue 3, section 6)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIT = "Putin flew to Pyongyang on Tuesday."


def _annotation(sentence: Any, user: Any) -> Any:
    from annotator.annotations.models import Annotation

    return Annotation.objects.filter(sentence=sentence, annotator=user).first()


def _only_sentence(project: Any) -> Any:
    sentences = list(project.sentences.order_by("document_id", "index"))
    assert len(sentences) == 1, [s.text for s in sentences]
    return sentences[0]


def _token_index(sentence: Any, word: str) -> int:
    start = sentence.text.index(word)
    return next(i for i, (s, _) in enumerate(sentence.tokens) if s == start)


def _open(page: Any, live_server: Any, project: Any) -> None:
    sign_in(page, live_server.url, "anna", f"/p/{project.slug}/annotate/")
    expect(page.locator("#ws-text .seg").first).to_be_visible()


def _press(page: Any, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def _char_point(page: Any, index16: int) -> dict[str, float]:
    """Viewport centre of the UTF-16 character at ``index16`` of the sentence."""
    return page.evaluate(
        """(i) => {
          for (const seg of document.querySelectorAll('#ws-text .seg')) {
            const s = Number(seg.dataset.s16), e = Number(seg.dataset.e16);
            if (i >= s && i < e) {
              const r = document.createRange();
              r.setStart(seg.firstChild, i - s); r.setEnd(seg.firstChild, i - s + 1);
              const b = r.getBoundingClientRect();
              return {x: b.left + b.width / 2, y: b.top + b.height / 2};
            }
          }
          throw new Error('no segment holds ' + i);
        }""",
        index16,
    )


def _drag(page: Any, from16: int, to16: int) -> None:
    a, b = _char_point(page, from16), _char_point(page, to16)
    page.mouse.move(a["x"], a["y"])
    page.mouse.down()
    page.mouse.move(b["x"], b["y"], steps=6)
    page.mouse.up()


def _utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_keyboard_only_entity_stance_event_submit_and_reload(page, live_server, make_project, artifacts_dir):
    project, user = make_project("kbd", [("A visit", VISIT)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)

    page.keyboard.press("p")  # the cursor starts on the first token: Putin
    _press(page, "ArrowRight", _token_index(sentence, "Pyongyang"))
    page.keyboard.press("g")
    page.keyboard.press("2")  # stance: against
    _press(page, "ArrowLeft", _token_index(sentence, "Pyongyang") - _token_index(sentence, "flew"))
    page.keyboard.press("e")
    expect(page.locator("#ws-event-type")).to_be_focused()
    page.keyboard.type("transport")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-frames .ws-frame")).to_contain_text("Movement:Transport")
    expect(page.locator("#ws-sentence")).to_be_focused()
    _press(page, "ArrowRight", _token_index(sentence, "Pyongyang") - _token_index(sentence, "flew"))
    page.keyboard.press("Shift+E")
    expect(page.locator("#ws-role")).to_be_focused()
    page.keyboard.type("dest")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-frames .ws-arg")).to_contain_text("Destination: Pyongyang")
    expect(page.locator("#ws-entities li")).to_have_count(2)
    expect(page.locator("#ws-text .chip[data-entity]")).to_have_text(["PER", "GPE"])
    page.screenshot(path=str(artifacts_dir / "workspace-keyboard.png"), full_page=True)

    page.keyboard.press("Enter")  # submit; this was the only sentence
    expect(page.locator("#ws-title")).to_have_text("All done")

    ann = _annotation(sentence, user)
    text = sentence.text
    assert ann.status == "submitted"
    assert ann.labels["entities"] == [
        {"start": text.index("Putin"), "end": text.index("Putin") + 5, "label": "PER"},
        {"start": text.index("Pyongyang"), "end": text.index("Pyongyang") + 9, "label": "GPE"},
    ]
    assert ann.labels["stance"] == [{"target": SCHEMA_TARGET, "label": "against"}]
    assert ann.labels["events"] == [{
        "type": "Movement:Transport",
        "trigger": {"start": text.index("flew"), "end": text.index("flew") + 4},
        "arguments": [{"role": "Destination", "start": text.index("Pyongyang"), "end": text.index("Pyongyang") + 9}],
    }]

    page.goto(f"{live_server.url}/p/{project.slug}/annotate/?sentence={sentence.pk}")
    expect(page.locator("#ws-entities li")).to_have_count(2)
    expect(page.locator("#ws-entities")).to_contain_text("PER “Putin” 0–5")
    expect(page.locator("#ws-stance [aria-pressed=true]")).to_contain_text("against")
    expect(page.locator("#ws-save-state")).to_contain_text("submitted")
    assert page.js_errors == []


SCHEMA_TARGET = "the Russia–North Korea mutual defence pact"


def test_mouse_drag_snaps_to_whole_tokens(page, live_server, make_project, artifacts_dir):
    project, user = make_project("drag", [("Troops", "North Korea sent troops to Russia.")])
    sentence = _only_sentence(project)
    _open(page, live_server, project)

    _drag(page, 2, sentence.text.index("Korea") + 2)  # "No|rth Ko|rea"
    expect(page.locator("#ws-selection")).to_have_text("“North Korea” (0–11)")
    expect(page.locator("#ws-text .seg.cur")).to_have_text(["North Korea"])
    page.keyboard.press("g")
    page.keyboard.press("Control+s")
    expect(page.locator("#ws-save-state")).to_contain_text("Saved (version 1")
    assert _annotation(sentence, user).labels["entities"] == [{"start": 0, "end": 11, "label": "GPE"}]
    page.screenshot(path=str(artifacts_dir / "workspace-drag.png"))

    page.locator("#ws-text .chip[data-entity]").click()  # a click on the label removes it
    expect(page.locator("#ws-entities li")).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-entities li")).to_have_count(1)


def test_offsets_after_emoji_match_python(page, live_server, make_project):
    text = "🇷🇺🤝 Putin met Kim in 𝔓yongyang 😀."
    project, user = make_project("emoji", [("Emoji", text)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)

    _press(page, "ArrowRight", _token_index(sentence, "Putin"))
    page.keyboard.press("p")
    kim = sentence.text.index("Kim")
    _drag(page, _utf16(sentence.text, kim) + 1, _utf16(sentence.text, kim) + 2)  # inside "Kim"
    expect(page.locator("#ws-selection")).to_have_text(f"“Kim” ({kim}–{kim + 3})")
    page.keyboard.press("p")
    page.keyboard.press("Control+s")
    expect(page.locator("#ws-save-state")).to_contain_text("Saved (version 1")

    stored = _annotation(sentence, user).labels["entities"]
    putin = sentence.text.index("Putin")
    assert stored == [{"start": putin, "end": putin + 5, "label": "PER"}, {"start": kim, "end": kim + 3, "label": "PER"}]
    assert [sentence.text[e["start"]:e["end"]] for e in stored] == ["Putin", "Kim"]


def test_two_tabs_saving_the_same_sentence_see_a_conflict(context, live_server, make_project, artifacts_dir):
    project, user = make_project("tabs", [("Tabs", VISIT)])
    sentence = _only_sentence(project)
    first = context.new_page()
    _open(first, live_server, project)
    second = context.new_page()
    second.goto(f"{live_server.url}/p/{project.slug}/annotate/")
    expect(second.locator("#ws-text .seg").first).to_be_visible()
    assert second.url.endswith(f"?sentence={sentence.pk}")

    first.keyboard.press("p")
    first.keyboard.press("Control+s")
    expect(first.locator("#ws-save-state")).to_contain_text("Saved (version 1")

    second.keyboard.press("ArrowRight")
    second.keyboard.press("o")
    second.keyboard.press("Control+s")
    banner = second.locator("#ws-conflict")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("saved somewhere else")
    expect(banner).to_contain_text("stored version is 1")
    second.screenshot(path=str(artifacts_dir / "workspace-conflict.png"))
    assert _annotation(sentence, user).version == 1  # the stale save changed nothing

    second.get_by_role("button", name="Keep mine (save over it)").click()
    expect(second.locator("#ws-save-state")).to_contain_text("Saved (version 2")
    ann = _annotation(sentence, user)
    assert ann.version == 2
    assert [e["label"] for e in ann.labels["entities"]] == ["ORG"]


def test_sixty_entities_render_and_a_keypress_highlights_fast(page, live_server, make_project, artifacts_dir):
    words = " ".join(f"word{i}" for i in range(130)) + "."
    project, user = make_project("dense", [("Dense", words)])
    sentence = _only_sentence(project)
    _open(page, live_server, project)
    entities = [{"start": s, "end": e, "label": "CARDINAL"} for s, e in sentence.tokens[0:120:2]]
    assert len(entities) == 60
    status = page.evaluate(
        """async ([id, entities]) => {
          const csrf = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
          const r = await fetch(`/api/sentences/${id}/annotation/`, {method: 'PUT',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
            body: JSON.stringify({entities, stance: [], events: [], status: 'draft', version: 0})});
          return r.status;
        }""",
        [sentence.pk, entities],
    )
    assert status == 200
    page.reload()
    expect(page.locator("#ws-text .chip[data-entity]")).to_have_count(60)

    page.keyboard.press("ArrowRight")  # token 1 is free
    page.evaluate(
        """() => {
          window.__t = {};
          document.addEventListener('keydown', () => { window.__t.down = performance.now(); }, {capture: true, once: true});
          const text = document.getElementById('ws-text');
          new MutationObserver((_, obs) => {
            if (text.querySelectorAll('.chip[data-entity]').length === 61) {
              window.__t.dom = performance.now();
              obs.disconnect();
              requestAnimationFrame(() => requestAnimationFrame(() => { window.__t.frame = performance.now(); }));
            }
          }).observe(text, {childList: true});
        }"""
    )
    page.keyboard.press("o")
    page.wait_for_function("window.__t && window.__t.frame")
    t = page.evaluate("window.__t")
    to_dom, to_frame = t["dom"] - t["down"], t["frame"] - t["down"]
    print(f"\n60 entities: keypress -> highlight in DOM {to_dom:.1f} ms, -> next frame painted {to_frame:.1f} ms")
    expect(page.locator("#ws-text .chip[data-entity]")).to_have_count(61)
    assert to_dom < 100, to_dom
    page.screenshot(path=str(artifacts_dir / "workspace-60-entities.png"), full_page=True)


def test_page_loads_in_six_requests_and_under_150_kb(context, live_server, make_project, artifacts_dir):
    project, _ = make_project("budget", [("A visit", VISIT)])
    page = context.new_page()
    sign_in(page, live_server.url, "anna", "/p/budget/")
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    page.goto(f"{live_server.url}/p/{project.slug}/annotate/")
    expect(page.locator("#ws-text .seg").first).to_be_visible()
    page.wait_for_load_state("networkidle")

    ours = [r for r in responses if "/static/" in r.url or r.url.endswith("/workspace.js")]
    size = sum(len(r.body()) for r in ours)
    print(f"\nworkspace load: {len(responses)} requests ({', '.join(r.url.replace(live_server.url, '') for r in responses)}); "
          f"our JS+CSS {len(ours)} files, {size} bytes ({size / 1024:.1f} KB) uncompressed")
    assert len(responses) <= 6
    assert size <= 150 * 1024

    page.keyboard.press("?")
    expect(page.locator("#ws-help")).to_be_visible()
    expect(page.locator("#ws-help-rows")).to_contain_text("Entity: PER")
    page.screenshot(path=str(artifacts_dir / "workspace-shortcuts.png"))
    page.keyboard.press("Escape")
    expect(page.locator("#ws-help")).to_be_hidden()
    page.keyboard.press("Control+g")
    guidelines = page.locator("#ws-guidelines")
    expect(guidelines).to_be_visible()
    expect(guidelines.locator("strong")).to_have_text("names")
    assert guidelines.locator("script").count() == 0


def test_page_up_and_down_walk_my_own_sentences_and_keep_every_change(page, live_server, make_project, artifacts_dir):
    project, user = make_project("walk", [("A visit", "Putin flew to Pyongyang. Kim met him at the station. They signed a pact.")])
    first, second, third = project.sentences.order_by("index")
    _open(page, live_server, project)
    expect(page.locator("#ws-previous")).to_be_disabled()

    page.keyboard.press("p")  # Putin
    page.keyboard.press("Enter")  # submit; the second sentence comes
    expect(page.locator("#ws-where")).to_contain_text("Sentence 2 of 3")
    page.keyboard.press("p")  # Kim: a draft change, not yet autosaved
    page.keyboard.press("PageUp")  # the draft is saved first, then back to the first
    expect(page.locator("#ws-where")).to_contain_text("Sentence 1 of 3")
    expect(page.locator("#ws-entities")).to_contain_text("PER “Putin”")
    expect(page.locator("#ws-save-state")).to_contain_text("submitted")
    assert _annotation(second, user).labels["entities"][0]["start"] == 0

    # Changing a submitted sentence and leaving asks for a second press; nothing is saved.
    page.keyboard.press("Delete")
    expect(page.locator("#ws-entities li")).to_have_count(0)
    page.keyboard.press("PageDown")
    expect(page.locator("#ws-message")).to_contain_text("press Page Down again")
    expect(page.locator("#ws-where")).to_contain_text("Sentence 1 of 3")
    page.keyboard.press("PageDown")
    expect(page.locator("#ws-where")).to_contain_text("Sentence 2 of 3")
    expect(page.locator("#ws-entities")).to_contain_text("PER “Kim”")
    assert len(_annotation(first, user).labels["entities"]) == 1

    page.click("#ws-next")  # my last sentence so far, still a draft: new work comes after it
    expect(page.locator("#ws-message")).to_contain_text("submit it (Enter) or skip it")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-where")).to_contain_text("Sentence 3 of 3")
    page.keyboard.press("PageUp")
    expect(page.locator("#ws-where")).to_contain_text("Sentence 2 of 3")
    page.keyboard.press("PageDown")  # the sentence after the last submitted one: new work
    expect(page.locator("#ws-where")).to_contain_text("Sentence 3 of 3")
    page.keyboard.press("Enter")  # untouched, stance unset: a warning first (issue 13, bug 8)
    expect(page.locator("#ws-message")).to_contain_text("is not set")
    page.keyboard.press("Enter")
    expect(page.locator("#ws-title")).to_have_text("All done")
    page.click("#ws-previous")  # from "All done" back to the last one
    expect(page.locator("#ws-where")).to_contain_text("Sentence 3 of 3")
    page.screenshot(path=str(artifacts_dir / "workspace-previous.png"), full_page=True)
    assert _annotation(third, user).status == "submitted"
    assert page.js_errors == []
