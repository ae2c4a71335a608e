"""A poisoned project in real Chromium: article text, titles, project name, guidelines, label
names, stance targets and notes full of HTML and script render as inert text on every
project page (the table of ``test_roles_matrix.project_pages``), for the lead and for an
annotator. Proof: ``window.__pwned`` stays undefined, no dialog opens, no injected element
or ``javascript:`` link exists, and the text is shown literally."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.trust.test_roles_matrix import project_pages

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

XSS = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
# no whitespace: entity type names may not hold any (CoNLL); "/" separates the attributes instead
LABEL = '<b>PER</b><img/src="x"/onerror="window.__pwned=1">'
TARGET = "<svg onload=window.__pwned=1> pact"
TEXT = f"Putin met Kim {XSS} in Pyongyang. Seoul protested {SCRIPT} loudly."
PASSWORD = "accord-demo"

POISON_CHECK = """() => ({
  pwned: typeof window.__pwned !== 'undefined',
  injectedImages: document.querySelectorAll('img[src="x"], svg[onload], [onerror]').length,
  javascriptLinks: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
  // data islands (json_script: type application/json, "<" escaped) may hold the text; no
  // executable script may
  injectedScripts: [...document.scripts].filter(s => !/json/.test(s.type) && s.textContent.includes('__pwned')).length,
  unescapedIslands: [...document.scripts].filter(s => /json/.test(s.type) && s.innerHTML.includes('<')).length,
})"""


def _poisoned_project() -> tuple[Any, Any]:
    from annotator.agreement.services import agreement_compute
    from annotator.annotations.assignment import assignment_create
    from annotator.annotations.services import annotation_put
    from annotator.documents.parsing import ArticleIn
    from annotator.documents.services import articles_store
    from annotator.exports.services import export_run, export_start
    from annotator.gold.models import Gold, GoldSource
    from annotator.projects.services import membership_set, project_create, user_ensure

    schema = {
        "entity_types": [{"name": LABEL, "hotkey": "p", "description": XSS}, {"name": "GPE", "hotkey": "g"}],
        "allow_overlapping_entities": False,
        "stance": {"targets": [TARGET], "labels": ["favor", "against", "neutral", "none"]},
        "event_types": [{"name": f"Contact:{XSS}", "roles": [f"Entity{SCRIPT}"]}],
    }
    guidelines = (f"# Rules {SCRIPT}\n\n{XSS}\n\n[click me](javascript:window.__pwned=1)\n\n"
                  '<a href="javascript:window.__pwned=1">raw link</a>\n')
    lead = user_ensure(username="lead", password=PASSWORD)
    project = project_create(slug="poison", name=f"Poison {SCRIPT}", label_schema=schema, overlap=2,
                             guidelines=guidelines, description=XSS, created_by=lead)
    membership_set(project=project, user=lead, role="lead")
    articles_store(project=project, articles=[ArticleIn(title=f"Title {SCRIPT}{XSS}", text=TEXT)])
    sentence = project.sentences.order_by("document_id", "index").first()
    start = sentence.text.index("Putin")
    for name in ("anna", "ben"):
        user = user_ensure(username=name, password=PASSWORD)
        membership_set(project=project, user=user, role="annotator")
        assignment_create(project=project, sentence=sentence, annotator=user)
        annotation_put(sentence_id=sentence.pk, annotator=user, payload={
            "entities": [{"start": start, "end": start + 5, "label": LABEL}],
            "stance": [{"target": TARGET, "label": "favor" if name == "anna" else "against"}],
            "events": [], "status": "submitted", "version": 0, "note": f"{name} says {XSS}"})
    Gold.objects.create(project=project, sentence=sentence, source=GoldSource.ADJUDICATED, decided_by=lead,
                        decided_at=timezone.now(), annotation_ids=[],
                        labels={"entities": [{"start": start, "end": start + 5, "label": LABEL}],
                                "stance": [{"target": TARGET, "label": "favor"}], "events": []})
    agreement_compute(project=project)
    export_run(export_id=export_start(project=project, format="jsonl", created_by=lead).pk)
    return project, sentence


def _page_urls(project: Any, sentence: Any) -> list[str]:
    urls = []
    for name in sorted(project_pages()):
        kwargs: dict[str, Any] = {"slug": project.slug}
        try:
            urls.append(reverse(f"frontend:{name}", kwargs=kwargs))
        except NoReverseMatch:  # the page needs a sentence id
            urls.append(reverse(f"frontend:{name}", kwargs={**kwargs, "sentence_id": sentence.pk}))
    return ["/", *urls]


def _assert_inert(page: Any, url: str, dialogs: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    verdict = page.evaluate(POISON_CHECK)
    assert verdict == {"pwned": False, "injectedImages": 0, "javascriptLinks": 0, "injectedScripts": 0,
                       "unescapedIslands": 0}, (url, verdict)
    assert not dialogs, (url, dialogs)


def test_poisoned_text_is_inert_on_every_page_for_the_lead(page, live_server, media_root, artifacts_dir) -> None:
    project, sentence = _poisoned_project()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    urls = _page_urls(project, sentence)
    sign_in(page, live_server.url, "lead", urls[1])
    shown: dict[str, str] = {}
    html: dict[str, str] = {}
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, (url, response and response.status)
        _assert_inert(page, url, dialogs)
        shown[url] = page.locator("body").inner_text()
        html[url] = page.content()
    page.screenshot(path=str(artifacts_dir / "trust-poisoned-lead.png"), full_page=True)
    overview = shown[f"/p/{project.slug}/"]
    assert f"Poison {SCRIPT}" in overview, "the project name is shown literally"
    assert f"Title {SCRIPT}{XSS}" in overview, "the article title is shown literally"
    assert "click me" in html[f"/p/{project.slug}/annotate/"], "the guidelines render, minus the javascript: target"


def test_poisoned_sentence_is_shown_literally_in_the_workspace(page, live_server, media_root) -> None:
    project, sentence = _poisoned_project()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, live_server.url, "anna", f"/p/{project.slug}/annotate/?sentence={sentence.pk}")
    page.wait_for_selector("#ws-text .seg")
    _assert_inert(page, "workspace", dialogs)
    text = page.locator("#ws-text").inner_text()
    assert XSS in text.replace("\u00a0", " ") or XSS.replace(" ", "") in text.replace(" ", ""), text
    body = page.locator("body").inner_text()
    assert LABEL in body, "the entity label is shown as its literal name"
    assert TARGET in body, "the stance target is shown literally"
