"""The lead's dashboard: server-rendered with real SVG plots; leads only. Plus the browser."""

from __future__ import annotations

import pytest
from django.test import Client

from annotator.agreement.services import agreement_compute
from annotator.projects.demo import demo_load
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres]


def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.django_db
def test_lead_sees_headline_plots_and_disputed_sentences():
    project = demo_load().project
    agreement_compute(project=project)
    html = _client("lead").get(f"/p/{project.slug}/agreement/").content.decode()
    assert html.count("<svg") >= 4, "heatmap, event types and confusion matrices are inline SVG"
    assert "Krippendorff (2004)" in html and "95% CI" in html
    assert "Most disputed sentences" in html


@pytest.mark.django_db
def test_side_by_side_shows_every_annotator_with_differences_marked():
    project = demo_load().project
    report = agreement_compute(project=project).report
    top = report["disputed"][0]["id"]
    html = _client("lead").get(f"/p/{project.slug}/agreement/sentences/{top}/").content.decode()
    for name in ("ana", "ben", "chloe"):
        assert f"<h2>{name}" in html
    assert 'class="diff"' in html


@pytest.mark.django_db
def test_annotators_are_refused_and_non_members_get_404():
    project = demo_load().project
    assert _client("ana").get(f"/p/{project.slug}/agreement/").status_code == 403
    assert _client("ana").get(f"/p/{project.slug}/agreement/sentences/1/").status_code == 403
    UserFactory(username="stranger")
    assert _client("stranger").get(f"/p/{project.slug}/agreement/").status_code == 404
