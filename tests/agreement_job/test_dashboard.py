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


def _renamed(value, names: dict[str, str]):  # type: ignore[no-untyped-def]
    """The report with every string (keys too) that equals one in ``names`` renamed."""
    if isinstance(value, dict):
        return {names.get(k, k): _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


@pytest.mark.django_db
def test_dashboard_draws_labels_and_usernames_with_dollar_signs_as_plain_text():
    """matplotlib reads "$...$" as mathtext: r"$\\frac{a}{b}$" used to raise (a 500) and "$x^2$"
    came out as a formula. Usernames are renamed before the computation, labels in the report."""
    from django.contrib.auth import get_user_model

    from annotator.agreement.models import AgreementReport

    project = demo_load().project
    users = get_user_model().objects
    users.filter(username="ana").update(username="$x^2$")
    users.filter(username="ben").update(username=r"$\frac{a}{b}$")
    users.filter(username="chloe").update(username="$")
    stored = agreement_compute(project=project)
    labels = {"GPE": "$x^2$", "PER": r"$\\frac{a}{b}$", "ORG": "$", "favor": r"$\frac{a}{b}$"}
    AgreementReport.objects.filter(pk=stored.pk).update(report=_renamed(stored.report, labels))
    response = _client("lead").get(f"/p/{project.slug}/agreement/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("$x^2$", r"$\frac{a}{b}$", r"$\\frac{a}{b}$"):
        assert f">{text}<" in html, f"{text!r} is drawn literally inside an SVG <text>"


@pytest.mark.django_db
def test_lead_sees_unitizing_alpha_and_event_parts():
    project = demo_load().project
    report = agreement_compute(project=project).report
    html = _client("lead").get(f"/p/{project.slug}/agreement/").content.decode()
    assert "Span boundaries and event parts" in html
    assert f"{report['entities']['unitizing_alpha']['alpha']:.3f}" in html
    for part in ("Trigger identification", "Trigger classification (type)", "Argument identification",
                 "Argument classification (role)"):
        assert f'<th scope="row">{part}</th>' in html
    assert f"{report['events']['parts']['argument_classification']['f1']:.3f}" in html
    for role in report["events"]["parts"]["per_role"]:
        assert f'<th scope="row">{role}</th>' in html


@pytest.mark.django_db
def test_undefined_values_render_as_a_dash_with_their_note():
    """Issue 13, bug 11: "Trigger F1 exact , overlap ;" -- undefined values were blank."""
    from annotator.agreement.models import AgreementReport

    project = demo_load().project
    stored = AgreementReport.objects.filter(project=project).first()
    report = stored.report
    report["events"]["trigger_f1"] = {"exact": None, "exact_note": "no triggers were marked",
                                      "overlap": None, "overlap_note": "no triggers were marked"}
    report["events"]["argument_f1"] = {"exact": None, "exact_note": "no arguments were marked"}
    stored.report = report
    stored.save(update_fields=["report"])
    html = _client("lead").get(f"/p/{project.slug}/agreement/").content.decode()
    assert "Trigger F1 exact , overlap ;" not in html
    assert "Trigger F1 exact —" in html and "no triggers were marked" in html
    assert "argument F1 exact —" in html and "no arguments were marked" in html


@pytest.mark.django_db
def test_403_is_a_styled_page_in_the_site_layout():
    """Issue 13, bug 11: the 403 page was the browser's bare one."""
    project = demo_load().project
    response = _client("ana").get(f"/p/{project.slug}/agreement/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="topbar"' in html and "accord.css" in html
    assert "your role in this project does not open this page" in html


@pytest.mark.django_db
def test_every_disputed_sentence_links_to_adjudicate_it():
    """Issue 13, bug 7: "Adjudicate this" from every disputed sentence on the dashboard."""
    project = demo_load().project
    report = agreement_compute(project=project).report
    html = _client("lead").get(f"/p/{project.slug}/agreement/").content.decode()
    assert report["disputed"]
    for d in report["disputed"]:
        assert f'href="/p/{project.slug}/adjudicate/{d["id"]}/"' in html
    assert html.count(">Adjudicate this</a>") == len(report["disputed"])


@pytest.mark.django_db
def test_undefined_event_part_f1_per_type_renders_as_a_dash():
    from annotator.agreement.models import AgreementReport

    project = demo_load().project
    stored = AgreementReport.objects.filter(project=project).first()
    report = stored.report
    per_type = report["events"]["parts"]["per_type"]
    name = next(iter(per_type))
    per_type[name]["argument_classification"] = {"f1": None, "f1_note": "no arguments of this type"}
    stored.report = report
    stored.save(update_fields=["report"])
    html = _client("lead").get(f"/p/{project.slug}/agreement/").content.decode()
    assert "<td></td>" not in html
    assert "no arguments of this type" in html
