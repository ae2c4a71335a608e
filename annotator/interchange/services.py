"""Importing other tools' annotations into a project, each attributed to its annotator.

``annotations_import`` reads (a pure reader), places every span on our sentences (pure
placement), then writes in one transaction: new documents through the article import path
(a text already in the project is reused, as ``import_articles`` dedupes), annotators
matched or created by name with an unusable password, annotator memberships, submitted
annotations with their first revision, assignments marked done (so k and progress stay
true) and imported gold (provenance ``imported``). All or nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED, Q
from django.utils import timezone

from annotator.accounts.services import user_create
from annotator.accounts.usernames import username_key, username_normalize, username_problem
from annotator.agreement.services import agreement_schedule
from annotator.annotations.models import Annotation, AnnotationRevision, AnnotationStatus, Assignment, AssignmentState
from annotator.annotations.services import MAX_SECONDS, labels_clean
from annotator.core.bulk_copy import CopyBatches, copy_text
from annotator.core.errors import DomainError
from annotator.core.sql_names import column, table
from annotator.documents.models import Document, Sentence
from annotator.documents.parsing import ArticleIn, content_hash
from annotator.exports.formats.brat import brat_type
from annotator.gold.models import Gold, GoldRevision, GoldSource
from annotator.projects.models import Membership, Project, Role

from .placement import POLICIES, Misfit, Placed, Policy, SentenceSlot, place_document
from .readers import READERS, read
from .readers.detect import detect
from .sources import Member
from .types import AnnotationIn, DocumentIn, Problem, ReadError, ReadOptions

Progress = Callable[[float, str], None]
SHOWN = 20  # problems named in an error message; the rest are counted


@dataclass
class AnnotationImportSummary:
    format: str
    documents: int = 0
    documents_new: int = 0
    sentences: int = 0
    annotators: list[str] = field(default_factory=list)
    annotators_new: int = 0
    annotations: int = 0
    unchanged: int = 0
    spans: int = 0
    spans_per_label: dict[str, int] = field(default_factory=dict)
    gold: int = 0
    gold_kept: int = 0
    snapped: int = 0
    misfits: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False
    not_addable: list[str] = field(default_factory=list)  # web only: names refused (see NOT_ADDABLE)
    detected: str = ""  # why this format, when it was detected ("auto")

    @property
    def refused(self) -> int:
        return sum(1 for m in self.misfits if m.get("action", "refused") == "refused")

    def line(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        s = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
        return (
            f"{verb} {s(self.documents, 'document')} ({self.documents_new} new), {s(self.sentences, 'sentence')}, "
            f"{s(len(self.annotators), 'annotator')} ({self.annotators_new} new), "
            f"{s(self.annotations, 'annotation')} with {s(self.spans, 'span')}, {self.gold} gold; "
            f"misfits: {self.snapped} snapped, {self.refused} refused"
            + (f"; {self.unchanged} already imported" if self.unchanged else "")
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format, "documents": self.documents, "documents_new": self.documents_new,
            "sentences": self.sentences, "annotators": self.annotators, "annotators_new": self.annotators_new,
            "annotations": self.annotations, "unchanged": self.unchanged, "spans": self.spans,
            "spans_per_label": self.spans_per_label, "gold": self.gold, "gold_kept": self.gold_kept,
            "snapped": self.snapped, "refused": self.refused, "misfits": self.misfits, "notes": self.notes,
            "dry_run": self.dry_run, "not_addable": self.not_addable, "detected": self.detected, "summary": self.line(),
        }


def _problems_error(problems: Sequence[Problem | Misfit], prefix: str = "") -> DomainError:
    """Every problem (the first SHOWN in the message), then "nothing imported"."""
    shown = "; ".join(str(p) for p in problems[:SHOWN])
    more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    errors = [{"field": "file", "message": str(p)} for p in problems]
    return DomainError(f"{prefix}{shown}{more}; nothing imported", field="file", errors=errors)


def label_map_parse(pairs: Sequence[str], field: str = "map") -> dict[str, str]:
    """``["PER=PERSON", ...]`` → ``{"PER": "PERSON"}``; DomainError(field) otherwise."""
    out: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old or not new:
            raise DomainError(f"a mapping is OLD=NEW, not {pair!r}", field=field)
        out[old] = new
    return out


AUTO = "auto"  # detect the format (readers/detect.py) and say why


def annotations_check(*, format: str, on_misfit: str) -> Policy:
    if format not in READERS and format != AUTO:
        raise DomainError(f"format must be {AUTO} or one of {', '.join(READERS)}", field="format")
    if on_misfit not in POLICIES:
        raise DomainError(f"on_misfit must be one of {', '.join(POLICIES)}", field="on_misfit")
    return on_misfit  # type: ignore[return-value]


def annotations_import(
    *,
    project: Project,
    format: str,
    members: list[Member],
    options: ReadOptions | None = None,
    label_map: Mapping[str, str] | None = None,
    on_misfit: str = "report",
    dry_run: bool = False,
    gold_from: str | None = None,
    annotator_map: Mapping[str, str] | None = None,
    by: Any = None,
    decided_by: Any = None,
    progress: Progress | None = None,
) -> AnnotationImportSummary:
    """Import ``members`` (a file, zip or folder's files) read as ``format`` into ``project``.

    ``label_map`` renames labels, stance targets and labels, event types and roles before they
    are checked against the schema; ``on_misfit`` says what happens to what does not fit
    (see :mod:`annotator.interchange.placement`): ``snap`` and ``report`` list it and import
    the rest, ``fail`` refuses the whole import if anything is listed. ``gold_from`` takes
    one annotator's work (e.g. doccano's approver) as the gold instead of as an annotator.
    ``annotator_map`` renames the file's annotators (``{"ann1": "alice"}``). ``by``: the
    person importing on the web (a lead; None for the command line, which an administrator
    runs): decides which accounts the annotators may match (see ``_annotator_accounts``).
    ``decided_by``: who the imported gold is recorded as decided by (None: nobody).

    Raises DomainError (field ``file``) naming file, line and reason for unreadable input,
    (field ``map``) for a bad mapping, and writes nothing then. With ``dry_run`` nothing is
    written and the summary says what would be. An annotation already in the project with
    the same labels is counted as unchanged (so re-running an import is harmless); one with
    other labels makes the import refuse, since it would overwrite someone's work.
    """
    with _gc_paused():
        return _import(
            project=project, format=format, members=members, options=options, label_map=label_map,
            on_misfit=on_misfit, dry_run=dry_run, gold_from=gold_from, annotator_map=annotator_map, by=by,
            decided_by=decided_by, report=progress or (lambda fraction, message: None),
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Readers and placement build hundreds of thousands of small objects, none in a cycle;
    Python's cyclic collector would walk the whole growing graph again and again (measured:
    2-3× the reading time). Paused for the import, back on however it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(
    *,
    project: Project,
    format: str,
    members: list[Member],
    options: ReadOptions | None,
    label_map: Mapping[str, str] | None,
    on_misfit: str,
    dry_run: bool,
    gold_from: str | None,
    annotator_map: Mapping[str, str] | None,
    by: Any,
    decided_by: Any,
    report: Progress,
) -> AnnotationImportSummary:
    detected = ""
    if format == AUTO:
        found, detected = detect(members)
        if found is None:
            raise DomainError(f"{detected}; name the format", field="format")
        format = found
    policy = annotations_check(format=format, on_misfit=on_misfit)
    result = read(format, members, options)
    if result.errors:
        raise _problems_error(result.errors)
    report(0.1, f"read {len(result.documents)} documents")
    schema = project.label_schema or {}
    mapping = dict(label_map or {})
    if format == "brat":  # brat-safe names (Movement-Transport) back to the schema's
        names = [t["name"] for t in schema.get("entity_types", [])] + [t["name"] for t in schema.get("event_types", [])]
        names += [r for t in schema.get("event_types", []) for r in t.get("roles", [])]
        for name in names:
            mapping.setdefault(brat_type(name), name)
    documents = _merged(result.documents, gold_from, annotator_map or {})
    names = sorted({a.annotator for d in documents for a in d.annotations})
    bad = [f"{n!r} ({username_problem(n)})" for n in names if username_problem(n)]
    if bad:
        raise DomainError(
            f"annotator names must be usernames: {', '.join(bad[:10])}; rename them with an annotator map "
            "(OLD=NEW); nothing imported",
            field="file",
        )
    accounts, refused = _annotator_accounts(project=project, names=names, by=by)

    hashes = [content_hash(d.text) for d in documents]
    stored = {
        h: (pk, text)
        for pk, h, text in Document.objects.filter(project=project, content_hash__in=set(hashes)).values_list(
            "id", "content_hash", "text"
        )
    }
    slots = _stored_slots([pk for pk, _ in stored.values()])
    fresh = [d for d, h in zip(documents, hashes, strict=True) if h not in stored]
    from annotator.documents.segment import segment_texts  # spaCy: loaded only by imports

    segmented = dict(zip((id(d) for d in fresh), segment_texts([d.text for d in fresh]), strict=True))
    report(0.3, f"segmented {len(fresh)} new documents")

    summary = AnnotationImportSummary(format=format, dry_run=dry_run, annotators=names, detected=detected)
    misfits: list[Misfit | Problem] = list(result.misfits)
    placements: list[tuple[DocumentIn, str, Placed]] = []
    for document, digest in zip(documents, hashes, strict=True):
        if digest in stored:
            pk, text = stored[digest]
            sentence_slots, stored_text = slots.get(pk, []), text
        else:
            sentence_slots = [SentenceSlot(s.index, s.start, s.end, s.text, s.tokens) for s in segmented[id(document)]]
            stored_text = None
        placed = place_document(
            document, sentence_slots, schema=schema, label_map=mapping, policy=policy, stored_text=stored_text
        )
        misfits += placed.misfits
        placements.append((document, digest, placed))
        summary.sentences += len(sentence_slots)
        summary.snapped += placed.snapped
        summary.spans += placed.spans
        for labels in placed.annotations.values():
            summary.annotations += len(labels)
            for value in labels.values():
                for entity in value["entities"]:
                    summary.spans_per_label[entity["label"]] = summary.spans_per_label.get(entity["label"], 0) + 1
        summary.gold += len(placed.gold)
    summary.documents = len(documents)
    summary.documents_new = len(fresh)
    summary.misfits = [_misfit_dict(m) for m in misfits]
    summary.notes = _grouped(result.notes)
    widest = max((_per_sentence(placed) for _, _, placed in placements), default=0)
    if widest > project.overlap:
        summary.notes.append({
            "file": "", "line": None, "detail": "", "kind": "note", "count": 1,
            "reason": f"up to {widest} annotators per sentence, more than the project's k of {project.overlap}: "
                      "no one will be handed those sentences again",
        })
    summary.annotators_new = sum(1 for n in names if n not in refused and accounts.get(n) is None)
    summary.not_addable = refused
    if refused:
        message = NOT_ADDABLE.format(names=", ".join(map(repr, refused)))
        if not dry_run:
            raise DomainError(f"{message}; nothing imported", field="file")
        summary.notes.append({"file": "", "line": None, "detail": "", "kind": "note", "count": 1, "reason": message})
    if policy == "fail" and misfits:
        raise _problems_error(misfits, f"{len(misfits)} misfit(s) and on-misfit is fail: ")
    report(0.5, f"placed {summary.spans} spans")
    if dry_run:
        return summary
    with transaction.atomic():
        _write(project=project, placements=placements, stored=stored, fresh=fresh, accounts=accounts,
               summary=summary, decided_by=decided_by, report=report)
        if summary.annotations > summary.unchanged:
            agreement_schedule(project=project)  # as after a submission: debounced, after commit
    report(1.0, summary.line())
    return summary


NOT_ADDABLE = (
    "{names}: not people you can add by name; invite them to the project first (or ask an "
    "administrator), then attribute their work to their accounts with an annotator map OLD=NEW"
)


def _annotator_accounts(*, project: Project, names: list[str], by: Any) -> tuple[dict[str, int | None], list[str]]:
    """Each annotator name's account id (None: to be created), and the names refused.

    Names match accounts regardless of case (as usernames are unique). ``by`` None is a
    trusted caller (the command line, run by a server administrator): any account matches
    and missing ones are created. A person on the web (``by``, a lead) never creates
    accounts and matches, as ``member_add`` does, only members of this project, people they
    see as members of a project they lead, or anyone if staff; every other name is refused
    with one answer whether or not it is an account, so an import does not tell which
    usernames exist."""
    User = get_user_model()
    accounts: dict[str, int | None] = {}
    refused: list[str] = []
    led = Membership.objects.filter(user=by, role=Role.LEAD).values("project_id") if by is not None else None
    for name in names:
        found = User.objects.filter(Q(username__iexact=name) | Q(username__iexact=username_key(name)))
        if by is None:
            user = found.first()
            accounts[name] = user.pk if user is not None else None
            continue
        found = found.filter(is_active=True)
        if not (by.is_staff or by.is_superuser):
            found = found.filter(Q(memberships__project=project) | Q(memberships__project_id__in=led))
        user = found.distinct().first()
        if user is None:
            refused.append(name)
        else:
            accounts[name] = user.pk
    taken: dict[int, str] = {}
    for name, pk in accounts.items():
        if pk is not None and pk in taken:
            raise DomainError(f"{taken[pk]!r} and {name!r} are the same account; nothing imported", field="file")
        if pk is not None:
            taken[pk] = name
    return accounts, refused


def _grouped(notes: list[Problem]) -> list[dict[str, Any]]:
    """One note per file and reason (the first place it applies, and how often)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for note in notes:
        key = (note.where.file, note.reason)
        if key in out:
            out[key]["count"] += 1
        else:
            out[key] = {**note.as_dict(), "count": 1}
    return list(out.values())


def _per_sentence(placed: Placed) -> int:
    counts: dict[int, int] = {}
    for labels in placed.annotations.values():
        for index in labels:
            counts[index] = counts.get(index, 0) + 1
    return max(counts.values(), default=0)


def _misfit_dict(m: Misfit | Problem) -> dict[str, Any]:
    if isinstance(m, Misfit):
        return m.as_dict()
    return {**m.as_dict(), "annotator": "", "action": "refused"}


def _merged(documents: list[DocumentIn], gold_from: str | None, annotator_map: Mapping[str, str]) -> list[DocumentIn]:
    """One document per text (copies with the same content hash merge), with ``gold_from``'s
    annotations moved to gold (named as in the file) and the other annotators renamed by
    ``annotator_map`` and normalised as usernames are (NFKC, trimmed)."""
    by_hash: dict[str, DocumentIn] = {}
    for document in documents:
        for ann in document.annotations:
            if ann.annotator != gold_from:
                ann.annotator = username_normalize(annotator_map.get(ann.annotator, ann.annotator))
        if gold_from is not None:
            mine = [a for a in document.annotations if a.annotator == gold_from]
            document.annotations = [a for a in document.annotations if a.annotator != gold_from]
            if mine:
                document.gold = AnnotationIn("", mine[0].where, mine[0].entities, mine[0].stance, mine[0].events, covered=mine[0].covered)
        digest = content_hash(document.text)
        first = by_hash.get(digest)
        if first is None:
            by_hash[digest] = document
            continue
        if first.text != document.text:
            raise DomainError(
                f"{document.where} and {first.where} hold the same text in different layouts; nothing imported",
                field="file",
            )
        taken = {a.annotator for a in first.annotations}
        twice = [a.annotator for a in document.annotations if a.annotator in taken]
        if twice:
            raise DomainError(
                f"{document.where}: {twice[0]!r} annotated this text twice (also in {first.where}); nothing imported",
                field="file",
            )
        first.annotations += document.annotations
        first.gold = first.gold or document.gold
    for document in by_hash.values():
        seen: set[str] = set()
        for ann in document.annotations:
            if ann.annotator in seen:
                raise DomainError(
                    f"{ann.where}: two annotations of one document are both {ann.annotator!r} "
                    "(after the annotator map); nothing imported",
                    field="file",
                )
            seen.add(ann.annotator)
    return list(by_hash.values())


def _stored_slots(document_ids: list[int]) -> dict[int, list[SentenceSlot]]:
    out: dict[int, list[SentenceSlot]] = {}
    rows = Sentence.objects.filter(document_id__in=document_ids).order_by("document_id", "index").values_list(
        "document_id", "index", "start", "end", "text", "tokens"
    )
    for document_id, index, start, end, text, tokens in rows:
        out.setdefault(document_id, []).append(SentenceSlot(index, start, end, text, tokens))
    return out


def _write(
    *,
    project: Project,
    placements: list[tuple[DocumentIn, str, Placed]],
    stored: dict[str, tuple[int, str]],
    fresh: list[DocumentIn],
    accounts: dict[str, int | None],
    summary: AnnotationImportSummary,
    decided_by: Any,
    report: Progress,
) -> None:
    # documents.services loads spaCy; importing it here keeps it out of the processes that
    # only load this app (manage.py commands, the web's ready())
    from annotator.documents.services import articles_store

    now = timezone.now()
    new = articles_store(
        project=project,
        articles=[ArticleIn(title=d.title[:1000], text=d.text, meta={"imported": summary.format, **d.meta}) for d in fresh],
    )
    report(0.6, f"stored {new.articles} new documents, {new.sentences} sentences")
    if new.articles != len(fresh):  # pragma: no cover - hashes were checked above under the same transaction
        raise DomainError("documents changed during the import; nothing imported", field="file")
    document_ids = {**{h: pk for h, (pk, _) in stored.items()}}
    for document, pk in zip(fresh, new.document_ids, strict=True):
        document_ids[content_hash(document.text)] = pk
    sentence_ids = {
        (d, i): pk
        for pk, d, i in Sentence.objects.filter(document_id__in=document_ids.values()).values_list("id", "document_id", "index")
    }

    users: dict[str, int] = {}
    for name, account in accounts.items():
        # a new annotator has no usable password: they sign in once an administrator or a
        # password reset gives them one (only a trusted caller gets here with None)
        users[name] = account if account is not None else int(user_create(username=name).pk)
    members = set(Membership.objects.filter(project=project, user_id__in=users.values()).values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        [Membership(project=project, user_id=pk, role=Role.ANNOTATOR) for pk in users.values() if pk not in members]
    )

    rows: list[AnnotationRow] = []
    gold_rows: list[tuple[int, dict[str, Any]]] = []
    for _document, digest, placed in placements:
        doc_id = document_ids[digest]
        for name, per_sentence in placed.annotations.items():
            seconds = placed.seconds.get(name, {})
            for index, labels in per_sentence.items():
                rows.append((sentence_ids[(doc_id, index)], users[name], labels_clean(labels), min(seconds.get(index, 0.0), MAX_SECONDS)))
        gold_rows += [(sentence_ids[(doc_id, index)], labels_clean(labels)) for index, labels in placed.gold.items()]

    existing = {
        (s, u): (labels, status)
        for s, u, labels, status in Annotation.objects.filter(
            project=project, annotator_id__in=users.values(), sentence_id__in={r[0] for r in rows}
        ).values_list("sentence_id", "annotator_id", "labels", "status")
    }
    fresh_rows = []
    for row in rows:
        prior = existing.get((row[0], row[1]))
        if prior is None:
            fresh_rows.append(row)
        elif prior == (row[2], AnnotationStatus.SUBMITTED):
            summary.unchanged += 1
        else:
            name = next(n for n, pk in users.items() if pk == row[1])
            raise DomainError(
                f"{name!r} already has another annotation of sentence {row[0]} in this project; "
                "an import never overwrites work; nothing imported",
                field="file",
            )
    report(0.8, f"writing {len(fresh_rows)} annotations")
    pairs = {(r[0], r[1]) for r in rows}
    assigned = {
        (s, u): pk
        for pk, s, u in Assignment.objects.filter(
            project=project, annotator_id__in=users.values(), sentence_id__in={r[0] for r in rows}
        ).values_list("id", "sentence_id", "annotator_id")
    }
    Assignment.objects.filter(pk__in=[pk for key, pk in assigned.items() if key in pairs]).update(
        state=AssignmentState.DONE, completed_at=now
    )
    new_assignments = sorted(key for key in pairs if key not in assigned)
    if connection.vendor == "postgresql" and _copy_covers():
        _copy_annotations(project=project, rows=fresh_rows, assignments=new_assignments, now=now)
    else:
        _insert_annotations(project=project, rows=fresh_rows, assignments=new_assignments, now=now)
    report(0.95, f"wrote {len(fresh_rows)} annotations, {len(new_assignments)} new assignments")
    kept = set(Gold.objects.filter(sentence_id__in=[s for s, _ in gold_rows]).values_list("sentence_id", flat=True))
    summary.gold_kept = len(kept)
    summary.gold = len(gold_rows) - len(kept)
    golds = Gold.objects.bulk_create(
        [
            Gold(project=project, sentence_id=s, labels=labels, source=GoldSource.IMPORTED, decided_by=decided_by,
                 decided_at=now, version=1)
            for s, labels in gold_rows
            if s not in kept
        ],
        batch_size=2000,
    )
    GoldRevision.objects.bulk_create(
        [
            GoldRevision(gold_id=g.pk, version=1, labels=g.labels, source=g.source, decided_by=decided_by, decided_at=now)
            for g in golds
        ],
        batch_size=2000,
    )


AnnotationRow = tuple[int, int, dict[str, Any], float]  # (sentence id, annotator id, labels, seconds)


def _insert_annotations(
    *, project: Project, rows: list[AnnotationRow], assignments: list[tuple[int, int]], now: Any
) -> None:
    """Other databases (SQLite for `make run`): bulk inserts."""
    annotations = Annotation.objects.bulk_create(
        [
            Annotation(
                project=project, sentence_id=s, annotator_id=u, labels=labels, status=AnnotationStatus.SUBMITTED,
                seconds=seconds, version=1, submitted_at=now,
            )
            for s, u, labels, seconds in rows
        ],
        batch_size=2000,
    )
    AnnotationRevision.objects.bulk_create(
        [
            AnnotationRevision(annotation_id=a.pk, version=1, labels=a.labels, status=a.status, seconds=a.seconds)
            for a in annotations
        ],
        batch_size=2000,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(project=project, sentence_id=s, annotator_id=u, state=AssignmentState.DONE, completed_at=now)
            for s, u in assignments
        ],
        batch_size=2000,
    )


ANNOTATION_COLUMNS = ("id", "project", "sentence", "annotator", "labels", "status", "unsure", "note", "skip_reason",
                      "seconds", "version", "created_at", "updated_at", "submitted_at")
REVISION_COLUMNS = ("annotation", "version", "labels", "status", "unsure", "seconds", "saved_at")
ASSIGNMENT_COLUMNS = ("project", "sentence", "annotator", "state", "assigned_at", "completed_at")


def _copy_covers() -> bool:
    """Whether the COPY column lists still name every column that needs a value (a field
    added later without a database default would make COPY fail; bulk_create fills it)."""
    for model, columns in ((Annotation, ANNOTATION_COLUMNS), (AnnotationRevision, REVISION_COLUMNS),
                           (Assignment, ASSIGNMENT_COLUMNS)):
        for f in model._meta.concrete_fields:
            if f.name not in columns and not f.primary_key and not f.null and f.db_default is NOT_PROVIDED:
                return False
    return True


def _copy_annotations(
    *, project: Project, rows: list[AnnotationRow], assignments: list[tuple[int, int]], now: Any
) -> None:
    """PostgreSQL: annotations (ids drawn from the sequence first), their first revisions
    and the new done assignments as three COPY statements, several times faster than
    INSERTs for an import of thousands; the unique constraints and foreign keys still
    check every row."""
    if not rows and not assignments:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Annotation._meta.db_table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    stamp = now.isoformat()
    submitted = AnnotationStatus.SUBMITTED.value
    labels_json = [copy_text(orjson.dumps(labels).decode()) for _, _, labels, _ in rows]
    annotations = "".join(
        f"{pk}\t{project.pk}\t{s}\t{u}\t{labels}\t{submitted}\tf\t\t\t{seconds!r}\t1\t{stamp}\t{stamp}\t{stamp}\n"
        for pk, (s, u, _, seconds), labels in zip(ids, rows, labels_json, strict=True)
    )
    revisions = "".join(
        f"{pk}\t1\t{labels}\t{submitted}\tf\t{seconds!r}\t{stamp}\n"
        for pk, (_, _, _, seconds), labels in zip(ids, rows, labels_json, strict=True)
    )
    done = AssignmentState.DONE.value
    new_assignments = "".join(f"{project.pk}\t{s}\t{u}\t{done}\t{stamp}\t{stamp}\n" for s, u in assignments)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a bad row fails its statement, not the commit
    # No other use of the connection inside this block: a COPY may be in progress on it.
    with connection.wrap_database_errors, CopyBatches(connection.connection) as copy:
        copy.write(_copy_statement(Annotation, ANNOTATION_COLUMNS), annotations.encode())
        copy.write(_copy_statement(AnnotationRevision, REVISION_COLUMNS), revisions.encode())
        copy.write(_copy_statement(Assignment, ASSIGNMENT_COLUMNS), new_assignments.encode())


def _copy_statement(model: Any, fields: Sequence[str]) -> str:
    return f"COPY {table(model)} ({', '.join(column(model, f) for f in fields)}) FROM STDIN"


def members_read_error(exc: ReadError) -> DomainError:
    """A source-level ReadError (unreadable zip, missing path) as the domain error."""
    return _problems_error(exc.problems)


JOB_KIND = "import_annotations"
RESULT_MISFITS = 1000  # misfits kept in a job's result (the count is always exact)


def _members_of(uploads: Sequence[tuple[str, bytes]]) -> list[Member]:
    from django.conf import settings

    from .sources import members_from_bytes

    members: list[Member] = []
    try:
        for name, data in uploads:
            members += members_from_bytes(name, data, max_bytes=settings.IMPORT_MAX_FILE_BYTES)
    except ReadError as exc:
        raise members_read_error(exc) from None
    return members


def _users_of(users_file: bytes | None) -> dict[int, str]:
    from .readers.labelstudio import users_from_json

    if users_file is None:
        return {}
    try:
        return users_from_json(users_file)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError(f"not a Label Studio users file ({exc})", field="users") from None


def annotations_import_start(
    *,
    project: Project,
    format: str,
    uploads: Sequence[tuple[str, bytes]],
    on_misfit: str = "report",
    label_map: Mapping[str, str] | None = None,
    as_user: str | None = None,
    users_file: bytes | None = None,
    gold_from: str | None = None,
    annotator_map: Mapping[str, str] | None = None,
    dry_run: bool = False,
    created_by: Any = None,
) -> AnnotationImportSummary | Any:
    """The API's import: with ``dry_run`` the summary (the preview: counts, spans per label,
    every misfit; nothing written); otherwise the uploads are read and placed now (so bad
    input is refused at once, 400 naming file, line and reason), stored, and a job of kind
    ``import_annotations`` is created and enqueued after commit (returns the Job). The job
    repeats the import in one transaction (see annotations_import) and is safe to run twice:
    a second run finds everything already imported and changes nothing."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from annotator.jobs.runner import task_for
    from annotator.jobs.services import job_create

    annotations_check(format=format, on_misfit=on_misfit)
    options = ReadOptions(as_user=as_user, users=_users_of(users_file), source_name=uploads[0][0] if uploads else "")
    preview = annotations_import(
        project=project, format=format, members=_members_of(uploads), options=options, label_map=label_map,
        on_misfit=on_misfit, dry_run=True, gold_from=gold_from, annotator_map=annotator_map, by=created_by,
    )
    if dry_run:
        return preview
    if preview.not_addable:
        raise DomainError(NOT_ADDABLE.format(names=", ".join(map(repr, preview.not_addable))), field="annotators")
    batch = uuid.uuid4().hex
    stored = []
    for n, (name, data) in enumerate(uploads):
        path = default_storage.save(f"imports/{project.pk}/{batch}/{n}-{name.rsplit('/', 1)[-1]}", ContentFile(data))
        stored.append({"name": name, "path": path})
    params = {
        "files": stored, "format": preview.format, "on_misfit": on_misfit, "map": dict(label_map or {}),
        "as_user": as_user, "users": options.users, "gold_from": gold_from, "annotators": dict(annotator_map or {}),
    }
    # the task registers itself for its kind (annotator/interchange/tasks.py, loaded by the app)
    task = task_for(JOB_KIND)
    if task is None:  # pragma: no cover - the app's ready() imports the task module
        raise RuntimeError(f"no task registered for {JOB_KIND}")
    return job_create(
        kind=JOB_KIND, project=project, params=params, created_by=created_by,
        enqueue=lambda job_id: task.delay(job_id),
    )


def annotations_import_run(*, job: Any, progress: Progress) -> dict[str, Any]:
    """The job's body: the stored uploads imported with the job's parameters; the files are
    deleted once the import is committed."""
    from django.core.files.storage import default_storage

    if job.created_by is None:
        # only the command line is trusted to create accounts; a web import whose starter is
        # gone must not run as one
        raise DomainError("the account that started this import no longer exists; nothing imported", field="file")
    uploads = []
    for item in job.params["files"]:
        with default_storage.open(item["path"], "rb") as handle:
            uploads.append((item["name"], handle.read()))
    options = ReadOptions(
        as_user=job.params.get("as_user"),
        users={int(k): v for k, v in (job.params.get("users") or {}).items()},
        source_name=uploads[0][0] if uploads else "",
    )
    summary = annotations_import(
        project=job.project, format=job.params["format"], members=_members_of(uploads), options=options,
        label_map=job.params.get("map") or {}, on_misfit=job.params.get("on_misfit", "report"),
        gold_from=job.params.get("gold_from"), annotator_map=job.params.get("annotators") or {},
        by=job.created_by, decided_by=job.created_by, progress=progress,
    )
    for item in job.params["files"]:
        default_storage.delete(item["path"])
    result = summary.as_dict()
    result["misfit_count"] = len(summary.misfits)
    result["misfits"] = summary.misfits[:RESULT_MISFITS]
    return result
