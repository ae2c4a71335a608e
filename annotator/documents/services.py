"""Importing articles: parse, de-duplicate, segment, insert in bulk, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from annotator.core.errors import DomainError
from annotator.projects.models import Project

from .models import Document, Sentence
from .parsing import ArticleFileError, ArticleIn, parse_article_file
from .segment import SentenceSpan, segment_texts

Progress = Callable[[float, str], None]
BATCH = 2000


@dataclass
class ImportSummary:
    articles: int
    sentences: int
    duplicates: int
    document_ids: list[int]

    def line(self) -> str:
        dup = f"; skipped {self.duplicates} duplicate{'s' if self.duplicates != 1 else ''}" if self.duplicates else ""
        return (
            f"imported {self.articles} article{'s' if self.articles != 1 else ''}, "
            f"{self.sentences} sentence{'s' if self.sentences != 1 else ''}{dup}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "sentences": self.sentences,
            "duplicates": self.duplicates,
            "summary": self.line(),
        }


def articles_parse(*, files: Sequence[tuple[str, bytes]]) -> list[ArticleIn]:
    """Parse every file first, so that a bad one stops the import before any write.

    Raises DomainError(field="file") naming the file, line and reason."""
    articles: list[ArticleIn] = []
    for name, data in files:
        try:
            articles.extend(
                parse_article_file(
                    name,
                    data,
                    max_bytes=settings.IMPORT_MAX_FILE_BYTES,
                    max_chars=settings.IMPORT_MAX_ARTICLE_CHARS,
                )
            )
        except ArticleFileError as exc:
            raise DomainError(str(exc), field="file") from None
    return articles


def articles_import(
    *, project: Project, files: Sequence[tuple[str, bytes]], progress: Progress | None = None
) -> ImportSummary:
    """Import article files into ``project`` in one transaction.

    A duplicate (same text, whitespace aside, already in the project or earlier in this
    import) is skipped and counted. Any bad file raises DomainError and writes nothing.
    """
    report = progress or (lambda fraction, message: None)
    articles = articles_parse(files=files)
    report(0.1, f"read {len(articles)} articles")
    return articles_store(project=project, articles=articles, progress=report)


def articles_store(
    *, project: Project, articles: Sequence[ArticleIn], progress: Progress | None = None
) -> ImportSummary:
    """Segment and insert parsed articles in one transaction (see articles_import)."""
    report = progress or (lambda fraction, message: None)

    hashes = [a.content_hash for a in articles]
    seen = set(
        Document.objects.filter(project=project, content_hash__in=set(hashes)).values_list("content_hash", flat=True)
    )
    fresh: list[tuple[ArticleIn, str]] = []
    for article, digest in zip(articles, hashes, strict=True):
        if digest not in seen:
            seen.add(digest)
            fresh.append((article, digest))
    documents = [
        Document(
            project=project,
            title=a.title,
            source=a.source,
            published=a.published,
            text=a.text,
            meta=a.meta,
            content_hash=digest,
        )
        for a, digest in fresh
    ]
    segmented = segment_texts([a.text for a, _ in fresh])
    report(0.15, f"segmenting and saving {len(documents)} new articles")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            document_ids, total_sentences = _store_streaming(documents=documents, segmented=segmented)
        else:
            document_ids, total_sentences = _store_batched(documents=documents, segmented=segmented, report=report)
    return ImportSummary(
        articles=len(document_ids),
        sentences=total_sentences,
        duplicates=len(articles) - len(fresh),
        document_ids=document_ids,
    )


def _store_streaming(*, documents: list[Document], segmented: Iterator[list[SentenceSpan]]) -> tuple[list[int], int]:
    """PostgreSQL: documents first (ids drawn from the sequence), then one COPY stream of
    sentences fed while spaCy segments, with foreign keys checked as rows arrive: the
    database works on the other core while this one segments."""
    document_ids = documents_insert(documents=documents)
    counts: list[int] = []
    total = 0
    table = connection.ops.quote_name(Sentence._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(Sentence._meta.get_field(c.removesuffix("_id")).column) for c in SENTENCE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            # No progress calls in here: the connection is busy with the COPY, so a progress
            # UPDATE on it would wait for itself (and would not be visible before commit).
            for document_id, document, sentences in zip(document_ids, documents, segmented, strict=True):
                for s in sentences:
                    copy.write_row((
                        document.project_id, document_id, s.index, s.start, s.end, s.text,
                        orjson.dumps(s.token_array, option=orjson.OPT_SERIALIZE_NUMPY).decode(),
                    ))
                counts.append(len(sentences))
                total += len(sentences)
        if document_ids:
            cursor.execute(
                f"UPDATE {connection.ops.quote_name(Document._meta.db_table)} AS d SET sentence_count = v.n "  # noqa: S608 - a model's table name
                "FROM unnest(%s::bigint[], %s::int[]) AS v(id, n) WHERE d.id = v.id",
                [document_ids, counts],
            )
    return document_ids, total


def _store_batched(
    *, documents: list[Document], segmented: Iterator[list[SentenceSpan]], report: Progress
) -> tuple[list[int], int]:
    """Other databases (SQLite for `make run`): segment everything, then bulk inserts."""
    all_sentences = list(segmented)
    report(0.5, f"segmented {len(documents)} articles")
    for document, sentences in zip(documents, all_sentences, strict=True):
        document.sentence_count = len(sentences)
    document_ids = documents_insert(documents=documents)
    pending: list[Sentence] = []
    total = sum(len(s) for s in all_sentences)
    done = 0
    for document_id, sentences in zip(document_ids, all_sentences, strict=True):
        for s in sentences:
            pending.append(
                Sentence(project_id=documents[0].project_id, document_id=document_id, index=s.index, start=s.start,
                         end=s.end, text=s.text, tokens=s.tokens)
            )
        if len(pending) >= BATCH:
            Sentence.objects.bulk_create(pending)
            done += len(pending)
            pending = []
            report(0.5 + 0.5 * done / max(total, 1), f"saved {done} of {total} sentences")
    if pending:
        Sentence.objects.bulk_create(pending)
    return document_ids, total


DOCUMENT_COLUMNS = ("id", "project_id", "title", "source", "published", "text", "meta", "content_hash", "sentence_count", "created_at")


def documents_insert(*, documents: list[Document]) -> list[int]:
    """Insert unsaved Document rows inside the caller's transaction; returns their ids.

    PostgreSQL: ids are drawn from the sequence in one query, then COPY; elsewhere
    bulk_create."""
    if connection.vendor != "postgresql" or not documents:
        return [d.pk for d in Document.objects.bulk_create(documents, batch_size=BATCH)]
    table = Document._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(documents)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        now = timezone.now()
        columns = ", ".join(connection.ops.quote_name(c) for c in DOCUMENT_COLUMNS)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for document_id, d in zip(ids, documents, strict=True):
                copy.write_row(
                    (document_id, d.project_id, d.title, d.source, d.published, d.text, orjson.dumps(d.meta).decode(),
                     d.content_hash, d.sentence_count, now)
                )
    return ids


SENTENCE_COLUMNS = ("project_id", "document_id", "index", "start", "end", "text", "tokens")


def articles_import_enqueue(*, project: Project, uploads: Sequence[tuple[str, bytes]], created_by: object = None):  # type: ignore[no-untyped-def]
    """Store the uploads and start a background import job (returns the Job).

    Files are parsed here first, so a bad file is refused at once (400 naming file and
    line) instead of failing later in the worker."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from annotator.jobs.services import job_create

    from .tasks import import_articles_job

    articles_parse(files=uploads)
    stored = []
    batch = uuid.uuid4().hex
    for name, data in uploads:
        path = default_storage.save(f"imports/{project.pk}/{batch}/{len(stored)}-{name}", ContentFile(data))
        stored.append({"name": name, "path": path})
    return job_create(
        kind="import_articles",
        project=project,
        params={"files": stored},
        created_by=created_by,
        enqueue=lambda job_id: import_articles_job.delay(job_id),
    )
