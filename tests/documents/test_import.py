import pytest

from annotator.core.errors import DomainError
from annotator.documents.models import Document, Sentence
from annotator.documents.services import articles_import
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_import_counts_articles_sentences_and_duplicates():
    project = ProjectFactory()
    jsonl = (
        '{"title": "A", "text": "Putin met Kim. They signed a pact."}\n'
        '{"title": "B", "text": "Seoul protested."}\n'
        '{"title": "A again", "text": "Putin  met Kim.\\nThey signed a pact."}\n'
    )
    summary = articles_import(project=project, files=[("n.jsonl", jsonl.encode())])
    assert summary.line() == "imported 2 articles, 3 sentences; skipped 1 duplicate"
    again = articles_import(project=project, files=[("n.jsonl", jsonl.encode())])
    assert again.line() == "imported 0 articles, 0 sentences; skipped 3 duplicates"
    for sentence in Sentence.objects.select_related("document"):
        assert sentence.document.text[sentence.start : sentence.end] == sentence.text
    assert list(Document.objects.values_list("sentence_count", flat=True)) == [2, 1]


def test_a_bad_file_imports_nothing_from_any_file():
    project = ProjectFactory()
    good = ("good.txt", b"Title\nA fine sentence.")
    bad = ("bad.jsonl", b'{"title": "x", "text": "ok"}\n{"title": "y", "text": ""}\n')
    with pytest.raises(DomainError) as info:
        articles_import(project=project, files=[good, bad])
    assert info.value.field == "file"
    assert info.value.message == "bad.jsonl, line 2: text is empty"
    assert Document.objects.count() == 0 and Sentence.objects.count() == 0


def test_a_failure_mid_import_rolls_back_everything(monkeypatch):
    """Segmentation fails after some documents' sentences were already written (on
    PostgreSQL they stream into COPY as they are segmented): nothing stays behind."""
    from annotator.documents import services

    project = ProjectFactory()
    original = services.segment_texts

    def fail_after_two_documents(texts):
        for number, sentences in enumerate(original(texts)):
            if number == 2:
                raise RuntimeError("worker ran out of memory")
            yield sentences

    monkeypatch.setattr(services, "segment_texts", fail_after_two_documents)
    lines = "\n".join(f'{{"title": "T{d}", "text": "One {d}. Two {d}. Three {d}."}}' for d in range(4))
    with pytest.raises(RuntimeError):
        articles_import(project=project, files=[("a.jsonl", lines.encode())])
    assert Document.objects.count() == 0 and Sentence.objects.count() == 0


def test_import_query_count_does_not_grow_with_sentences(django_assert_max_num_queries):
    project = ProjectFactory()
    lines = "\n".join(f'{{"title": "T{i}", "text": "One {i}. Two {i}. Three {i}."}}' for i in range(300))
    with django_assert_max_num_queries(12):
        summary = articles_import(project=project, files=[("many.jsonl", lines.encode())])
    assert summary.sentences == 900
