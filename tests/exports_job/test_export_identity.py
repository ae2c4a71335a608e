"""Documents keep their identity (external id, URL, published, meta) into every format that can
carry it, and splits are keyed by it, so the same corpus splits the same way in any project."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from annotator.documents.models import Document, Sentence
from annotator.documents.services import articles_import
from annotator.exports.records import gold_records
from annotator.exports.services import export_build
from annotator.gold.models import Gold, GoldSource
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SCHEMA = {"entity_types": [{"name": "GPE"}], "stance": {"targets": ["t"], "labels": ["favor", "against"]}}


def _corpus(n: int = 40) -> bytes:
    lines = []
    for i in range(n):
        article = {"title": f"Article {i}", "text": f"Russia met Korea on day {i}. The talks went on."}
        if i % 3 == 0:
            article |= {"id": f"ap-{i}", "url": f"https://news.example/{i}", "published": "2024-10-24",
                        "meta": {"desk": "world", "n": i}}
        elif i % 3 == 1:
            article |= {"url": f"https://news.example/u{i}"}
        lines.append(json.dumps(article))
    return ("\n".join(lines) + "\n").encode()


def _project_with_gold(slug: str, corpus: bytes):  # type: ignore[no-untyped-def]
    project = ProjectFactory(slug=slug, label_schema=SCHEMA)
    articles_import(project=project, files=[("news.jsonl", corpus)])
    Gold.objects.bulk_create(
        Gold(project=project, sentence=s, source=GoldSource.MAJORITY, decided_at=timezone.now(),
             labels={"entities": [{"start": 0, "end": 6, "label": "GPE"}] if s.text.startswith("Russia") else [],
                     "stance": [{"target": "t", "label": "favor"}], "events": []})
        for s in Sentence.objects.filter(project=project)
    )
    return project


def test_import_stores_the_external_id_url_published_and_meta():
    project = _project_with_gold("p1", _corpus(3))
    first = Document.objects.get(project=project, title="Article 0")
    assert (first.external_id, first.url, str(first.published)) == ("ap-0", "https://news.example/0", "2024-10-24")
    assert first.meta == {"desk": "world", "n": 0}
    assert Document.objects.get(project=project, title="Article 2").external_id == ""


def test_the_same_articles_in_two_projects_get_identical_splits():
    corpus = _corpus()
    one = _project_with_gold("first", corpus)
    ProjectFactory(slug="filler")  # different database ids in the second project
    Document.objects.bulk_create(Document(project=one, title=f"x{i}", text=f"filler {i}", content_hash=f"h{i}")
                                 for i in range(7))
    two = _project_with_gold("second", corpus)

    def splits(project) -> dict[str, str]:  # type: ignore[no-untyped-def]
        return {r["document"]["key"]: r["document"]["split"] for r in gold_records(project=project, seed=7)}

    first, second = splits(one), splits(two)
    assert first == second and len(first) == 40
    assert set(first.values()) == {"train", "dev", "test"}
    assert {k.split(":")[0] for k in first} == {"id", "url", "sha256"}
    assert {r["document"]["key"]: r["document"]["split"] for r in gold_records(project=one, seed=8)} != first


def test_identity_survives_into_jsonl_hf_spacy_and_brat(tmp_path: Path):
    import pyarrow.parquet as pq
    import spacy
    from spacy.tokens import DocBin

    project = _project_with_gold("p1", _corpus(3))
    result = export_build(project=project, format="bundle", out_path=tmp_path / "b.zip")
    zipfile.ZipFile(tmp_path / "b.zip").extractall(tmp_path / "b")
    root = tmp_path / "b"
    expected = {"key": "id:ap-0", "external_id": "ap-0", "url": "https://news.example/0", "published": "2024-10-24",
                "meta": {"desk": "world", "n": 0}}

    line = json.loads((root / "jsonl" / "gold.jsonl").read_text().splitlines()[0])
    assert {k: line["document"][k] for k in expected} == expected

    rows = [r for split in (root / "hf" / "ner").glob("*.parquet") for r in pq.read_table(split).to_pylist()]
    row = next(r for r in rows if r["document_external_id"] == "ap-0")
    assert (row["document_key"], row["document_url"], row["document_published"]) == (
        "id:ap-0", "https://news.example/0", "2024-10-24")
    assert json.loads(row["document_meta"]) == {"desk": "world", "n": 0}
    assert next(r for r in rows if r["document_key"].startswith("sha256:"))["document_external_id"] is None

    docs = [d for path in sorted((root / "spacy").rglob("*.spacy"))
            for d in DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)]
    doc = next(d for d in docs if d.user_data["document_external_id"] == "ap-0")
    assert (doc.user_data["document_key"], doc.user_data["document_url"], doc.user_data["document_published"],
            doc.user_data["document_meta"]) == ("id:ap-0", "https://news.example/0", "2024-10-24", expected["meta"])

    did = Document.objects.get(project=project, external_id="ap-0").pk
    ann = (root / "brat" / f"{did}.ann").read_text()
    note = next(line for line in ann.splitlines() if line.startswith("#"))
    assert note.startswith("#1\tAnnotatorNotes T1\t") and "key=id:ap-0" in note and "external_id=ap-0" in note
    assert "url=https://news.example/0" in note and "published=2024-10-24" in note and '"desk": "world"' in note
    assert result["content_sha256"]
