"""Importing articles: parse, de-duplicate, segment, insert in bulk, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from annotator.core.bulk_copy import CopyBatches, copy_text
from annotator.core.errors import DomainError
from annotator.core.sql_names import column, table
from annotator.core.text import counted
from annotator.projects.models import Project

from .models import Document, Sentence
from .parsing import ArticleFileError, ArticleIn, parse_article_file
from .segment import SentenceSpan, segment_batches

Progress = Callable[[float, str], None]
BATCH = 2000
SEGMENT_BATCH = 64  # documents segmented, then written, at a time


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
    report(0.1, f"read {counted(len(articles), 'article')}")
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
            external_id=a.external_id,
            url=a.url,
            published=a.published,
            text=a.text,
            meta=a.meta,
            content_hash=digest,
        )
        for a, digest in fresh
    ]
    segmented = segment_batches([a.text for a, _ in fresh], batch_size=SEGMENT_BATCH)
    report(0.15, f"segmenting and saving {counted(len(documents), 'new article')}")
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


def _store_streaming(
    *, documents: list[Document], segmented: Iterator[list[list[SentenceSpan]]]
) -> tuple[list[int], int]:
    """PostgreSQL: ids drawn from the sequence up front, then documents and sentences
    in COPY statements that the database stores and checks (foreign keys immediate)
    while spaCy segments the next batch. One statement goes after each batch, in turn
    the documents segmented so far and the sentences of the documents written, so each
    has a batch's time to finish before the next is sent."""
    if not documents:
        return [], 0
    document_ids = _next_ids(Document, len(documents))
    copy_documents = _copy_statement(Document, DOCUMENT_COLUMNS)
    copy_sentences = _copy_statement(Sentence, SENTENCE_COLUMNS)
    now = timezone.now().isoformat()
    total = position = 0
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checked per statement, not all at commit
    # No other use of the connection inside this block: a COPY may be in progress on it.
    with connection.wrap_database_errors, CopyBatches(connection.connection) as copy:
        document_lines: list[str] = []
        waiting: list[str] = []  # sentences of documents not written yet
        ready: list[str] = []  # sentences of documents written
        documents_turn = True
        for batch in segmented:
            for sentences in batch:
                document_id, d = document_ids[position], documents[position]
                position += 1
                document_lines.append(
                    f"{document_id}\t{d.project_id}\t{copy_text(d.title)}\t{copy_text(d.source)}\t"
                    f"{copy_text(d.external_id)}\t{copy_text(d.url)}\t"
                    f"{d.published.isoformat() if d.published else NULL}\t{copy_text(d.text)}\t"
                    f"{copy_text(orjson.dumps(d.meta).decode())}\t{d.content_hash}\t{len(sentences)}\t{now}\n"
                )
                prefix = f"{d.project_id}\t{document_id}\t"
                waiting.extend(
                    f"{prefix}{s.index}\t{s.start}\t{s.end}\t{copy_text(s.text)}\t"
                    f"{orjson.dumps(s.token_array, option=orjson.OPT_SERIALIZE_NUMPY).decode()}\n"
                    for s in sentences
                )
                total += len(sentences)
            if documents_turn:
                copy.write(copy_documents, "".join(document_lines).encode())
                ready.extend(waiting)
                document_lines, waiting = [], []
            else:
                copy.write(copy_sentences, "".join(ready).encode())
                ready = []
            documents_turn = not documents_turn
        copy.write(copy_documents, "".join(document_lines).encode())
        copy.write(copy_sentences, "".join(ready + waiting).encode())
    if position != len(documents):
        raise RuntimeError(f"segmented {position} of {len(documents)} documents")
    return document_ids, total


def _store_batched(
    *, documents: list[Document], segmented: Iterator[list[list[SentenceSpan]]], report: Progress
) -> tuple[list[int], int]:
    """Other databases (SQLite for `make run`): segment everything, then bulk inserts."""
    all_sentences = [sentences for batch in segmented for sentences in batch]
    report(0.5, f"segmented {counted(len(documents), 'article')}")
    for document, sentences in zip(documents, all_sentences, strict=True):
        document.sentence_count = len(sentences)
    document_ids = [d.pk for d in Document.objects.bulk_create(documents, batch_size=BATCH)]
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


DOCUMENT_COLUMNS = ("id", "project", "title", "source", "external_id", "url", "published", "text", "meta", "content_hash", "sentence_count", "created_at")
SENTENCE_COLUMNS = ("project", "document", "index", "start", "end", "text", "tokens")
NULL = "\\N"


def _copy_statement(model: type[Document] | type[Sentence], fields: Sequence[str]) -> str:
    return f"COPY {table(model)} ({', '.join(column(model, f) for f in fields)}) FROM STDIN"


def _next_ids(model: type[Document], count: int) -> list[int]:
    """``count`` ids from the table's sequence, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [model._meta.db_table, count]
        )
        return [row[0] for row in cursor.fetchall()]


Upload = tuple[str, "bytes | IO[bytes]"]


def _upload_bytes(name: str, data: bytes | IO[bytes]) -> bytes:
    """One upload's bytes (a file is read only when it is within the per-file limit)."""
    if isinstance(data, bytes):
        return data
    size = getattr(data, "size", None)
    limit = settings.IMPORT_MAX_FILE_BYTES
    if size is not None and size > limit:
        raise DomainError(str(ArticleFileError(name, None, f"file is {size:,} bytes; the limit is {limit:,}")), field="file")
    data.seek(0)
    return data.read()


def articles_import_enqueue(*, project: Project, uploads: Sequence[Upload], created_by: object = None):  # type: ignore[no-untyped-def]
    """Store the uploads and start a background import job (returns the Job).

    ``uploads`` are (name, bytes or an open file, e.g. Django's uploaded file). Files are
    parsed here first, so a bad file is refused at once (400 naming file and line)
    instead of failing later in the worker. One file is in memory at a time: each is
    read, checked and let go, then each is copied to storage in chunks."""
    import uuid

    from django.core.files import File
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from annotator.jobs.services import job_create

    from .tasks import import_articles_job

    for name, data in uploads:
        articles_parse(files=[(name, _upload_bytes(name, data))])
    stored: list[dict[str, str]] = []
    batch = uuid.uuid4().hex
    for name, data in uploads:
        if not isinstance(data, bytes):
            data.seek(0)
        content = ContentFile(data) if isinstance(data, bytes) else File(data, name=name)
        path = default_storage.save(f"imports/{project.pk}/{batch}/{len(stored)}-{name}", content)
        stored.append({"name": name, "path": path})
    return job_create(
        kind="import_articles",
        project=project,
        params={"files": stored},
        created_by=created_by,
        enqueue=lambda job_id: import_articles_job.delay(job_id),
    )
