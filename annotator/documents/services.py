"""Importing articles: parse, de-duplicate, segment, insert in bulk, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.db import connection, transaction

from annotator.core.errors import DomainError
from annotator.projects.models import Project

from .models import Document, Sentence
from .parsing import ArticleFileError, ArticleIn, parse_article_file
from .segment import segment_texts

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
    duplicates = len(articles) - len(fresh)

    segmented = list(segment_texts([a.text for a, _ in fresh]))
    report(0.5, f"segmented {len(fresh)} articles")

    total_sentences = sum(len(s) for s in segmented)
    with transaction.atomic():
        documents = Document.objects.bulk_create(
            [
                Document(
                    project=project,
                    title=a.title,
                    source=a.source,
                    published=a.published,
                    text=a.text,
                    meta=a.meta,
                    content_hash=digest,
                    sentence_count=len(sentences),
                )
                for (a, digest), sentences in zip(fresh, segmented, strict=True)
            ],
            batch_size=BATCH,
        )
        rows = (
            (project.pk, document.pk, s.index, s.start, s.end, s.text, s.token_array)
            for document, sentences in zip(documents, segmented, strict=True)
            for s in sentences
        )
        sentences_insert(
            rows=rows,
            total=total_sentences,
            progress=lambda done: report(
                0.5 + 0.5 * done / max(total_sentences, 1), f"saved {done} of {total_sentences} sentences"
            ),
        )
    return ImportSummary(
        articles=len(documents),
        sentences=total_sentences,
        duplicates=duplicates,
        document_ids=[d.pk for d in documents],
    )


SENTENCE_COLUMNS = ("project_id", "document_id", "index", "start", "end", "text", "tokens")


def sentences_insert(*, rows: Iterable[tuple], total: int, progress: Callable[[int], None]) -> None:
    """Insert sentence rows (in SENTENCE_COLUMNS order; tokens as an (n, 2) numpy array)
    inside the caller's transaction.

    PostgreSQL gets COPY, several times faster than INSERT for tens of thousands of
    rows; other databases get batched bulk_create."""
    done = 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Sentence._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(Sentence._meta.get_field(c.removesuffix("_id")).column) for c in SENTENCE_COLUMNS
        )
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row[:6], orjson.dumps(row[6], option=orjson.OPT_SERIALIZE_NUMPY).decode()))
                done += 1
                if done % (BATCH * 5) == 0:
                    progress(done)
        return
    pending: list[Sentence] = []
    for project_id, document_id, index, start, end, text, tokens in rows:
        pending.append(
            Sentence(
                project_id=project_id,
                document_id=document_id,
                index=index,
                start=start,
                end=end,
                text=text,
                tokens=tokens.tolist(),
            )
        )
        if len(pending) >= BATCH:
            Sentence.objects.bulk_create(pending)
            done += len(pending)
            pending = []
            progress(done)
    if pending:
        Sentence.objects.bulk_create(pending)


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
