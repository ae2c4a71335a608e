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


@pytest.mark.parametrize("batch", [1, 64])
def test_a_failure_mid_import_rolls_back_everything(monkeypatch, batch):
    """Segmentation fails after some documents and sentences were already written (on
    PostgreSQL they go to the database batch by batch as they are segmented): nothing
    stays behind."""
    from annotator.documents import services

    project = ProjectFactory()
    original = services.segment_batches

    def fail_after_three_documents(texts, batch_size):
        done = 0
        for sentences in original(texts, batch_size=batch):
            done += len(sentences)
            if done > 3:
                raise RuntimeError("worker ran out of memory")
            yield sentences

    monkeypatch.setattr(services, "segment_batches", fail_after_three_documents)
    lines = "\n".join(f'{{"title": "T{d}", "text": "One {d}. Two {d}. Three {d}."}}' for d in range(6))
    with pytest.raises(RuntimeError):
        articles_import(project=project, files=[("a.jsonl", lines.encode())])
    assert Document.objects.count() == 0 and Sentence.objects.count() == 0


@pytest.mark.postgres  # SQLite caps the parameters per statement, so bulk inserts split
def test_import_query_count_does_not_grow_with_sentences(django_assert_max_num_queries):
    project = ProjectFactory()
    lines = "\n".join(f'{{"title": "T{i}", "text": "One {i}. Two {i}. Three {i}."}}' for i in range(300))
    with django_assert_max_num_queries(12):
        summary = articles_import(project=project, files=[("many.jsonl", lines.encode())])
    assert summary.sentences == 900


@pytest.mark.parametrize("batch", [1, 64])
def test_tabs_newlines_and_backslashes_survive_the_bulk_insert(monkeypatch, batch):
    """PostgreSQL writes rows in COPY's text format, where tab, newline and backslash are
    special: every field must come back exactly as it went in."""
    import json

    from annotator.documents import services

    monkeypatch.setattr(services, "SEGMENT_BATCH", batch)
    project = ProjectFactory()
    records = [
        {"title": "Tab\there, a \\N and C:\\path", "source": "wire\\desk", "published": "2024-06-19",
         "meta": {"note": "a\\b\tc\nd", "nested": {"x": [1, "\\N"]}},
         "text": "Kim said\t“no” at C:\\temp.\nA second\\line \\N here."},
        {"title": "Plain", "text": "Nothing special."},
    ]
    body = "\n".join(json.dumps(r) for r in records).encode()
    articles_import(project=project, files=[("odd.jsonl", body)])
    first, second = Document.objects.order_by("id")
    assert (first.title, first.source, str(first.published), first.meta) == (
        records[0]["title"], records[0]["source"], "2024-06-19", records[0]["meta"])
    assert first.text == records[0]["text"] and (second.published, second.meta) == (None, {})
    sentences = list(Sentence.objects.filter(document=first).order_by("index"))
    assert [s.text for s in sentences] == ["Kim said\t“no” at C:\\temp.", "A second\\line \\N here."]
    assert [first.sentence_count, second.sentence_count] == [2, 1]
    for s in sentences:
        assert first.text[s.start : s.end] == s.text
        assert all(s.text[a:b].strip() for a, b in s.tokens)


@pytest.mark.postgres
def test_a_database_error_in_a_batch_is_djangos_and_leaves_nothing(monkeypatch):
    """A COPY batch that the database refuses (here: ids that already exist) raises
    Django's IntegrityError, and the whole import is rolled back."""
    from django.db import IntegrityError

    from annotator.documents import services

    project = ProjectFactory()
    articles_import(project=project, files=[("a.txt", b"First\nOne sentence.")])
    taken = Document.objects.get().pk
    monkeypatch.setattr(services, "SEGMENT_BATCH", 1)
    monkeypatch.setattr(services, "_next_ids", lambda model, count: [taken] * count)
    lines = "\n".join(f'{{"title": "T{d}", "text": "One {d}. Two {d}."}}' for d in range(3))
    with pytest.raises(IntegrityError):
        articles_import(project=project, files=[("b.jsonl", lines.encode())])
    assert Document.objects.count() == 1 and Sentence.objects.count() == 1
