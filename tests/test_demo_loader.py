import pytest
from django.core.management import call_command

from annotator.annotations.models import Annotation, AnnotationRevision
from annotator.documents.models import Document, Sentence
from annotator.projects.models import Membership, Project

pytestmark = pytest.mark.django_db


def test_load_demo_builds_the_project_and_is_safe_to_run_twice(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "created demo project 'demo'" in out and "ana" in out and "accord-demo" in out
    counts = (Project.objects.count(), Document.objects.count(), Sentence.objects.count(), Annotation.objects.count())
    assert counts == (2, 2, 24, 36)  # the demo, and a practice copy with nothing annotated
    demo = Project.objects.get(slug="demo")
    assert Membership.objects.filter(project=demo, role="annotator").count() == 3
    assert "practice project 'demo-practice'" in out
    revisions = AnnotationRevision.objects.count()

    call_command("load_demo")
    assert "refreshed demo project" in capsys.readouterr().out
    assert (Project.objects.count(), Document.objects.count(), Sentence.objects.count(), Annotation.objects.count()) == counts
    assert AnnotationRevision.objects.count() == revisions, "an unchanged fixture writes no new versions"
    document = Document.objects.get(project__slug="demo")
    for s in document.sentences.all():
        assert document.text[s.start : s.end] == s.text
    assert document.meta["caption"].startswith("FILE - Russian President Vladimir Putin")


def test_cli_create_project_add_member_import(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    schema.write_text('{"entity_types": [{"name": "GPE", "hotkey": "g"}]}')
    call_command("create_project", "news", "--schema", str(schema), "--overlap", "3")
    call_command("add_member", "news", "ann", "--role", "annotator", "--password", "a-long-Passphrase-9")
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nRussia and North Korea signed a pact. The U.S. objected.\n")
    call_command("import_articles", "news", str(article))
    out = capsys.readouterr().out
    assert "created project 'news'" in out and "ann is annotator of 'news'" in out
    assert "imported 1 article, 2 sentences" in out
    assert Project.objects.get(slug="news").overlap == 3


def test_cli_errors_name_the_problem(tmp_path):
    from django.core.management.base import CommandError

    schema = tmp_path / "schema.json"
    schema.write_text('{"entity_types": [{"name": "GPE", "hotkey": "1"}]}')
    with pytest.raises(CommandError, match=r"entity_types\[0\]\.hotkey"):
        call_command("create_project", "news", "--schema", str(schema))
    schema.write_text('{"entity_types": [}')
    with pytest.raises(CommandError, match="line 1"):
        call_command("create_project", "news", "--schema", str(schema))


def test_load_demo_computes_the_agreement_report_once_per_data_version():
    """Issue 13, bug 11: the demo's dashboard opened on "No agreement report yet." although
    every annotation is there; load_demo computes it in-process (no worker needed)."""
    from annotator.agreement.models import AgreementReport

    call_command("load_demo")
    demo = Project.objects.get(slug="demo")
    reports = AgreementReport.objects.filter(project=demo)
    assert reports.count() == 1
    assert reports.get().report["sentences_annotated"] > 0
    call_command("load_demo")  # unchanged data: no second report
    assert reports.count() == 1
