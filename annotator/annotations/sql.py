"""The annotation save's statements in plain SQL (PostgreSQL and SQLite alike).

Autosave is the most frequent request there is, and building these few statements
with the ORM cost several times more than running them. Table and column names come
from the models, values go through the model fields' own conversions, so this stays
in step with migrations. Everything else uses the ORM.
"""
# Statements are built from model metadata only (quoted names); every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from annotator.core.sql_names import column, model_field, table
from annotator.documents.models import Sentence
from annotator.projects.models import Membership, Project, Role

from .models import Annotation, AnnotationRevision, Assignment, AssignmentState


@dataclass(frozen=True, slots=True)
class SaveTarget:
    """What a save needs to know: the sentence, the schema, the caller's current annotation
    and assignment, and the project's k and timeout (to tell a live assignment)."""

    sentence_id: int
    project_id: int
    text: str
    schema: dict[str, Any]
    annotation_id: int | None
    version: int  # 0 when there is no annotation yet
    created_at: datetime | None
    overlap: int = 0
    timeout_minutes: int = 0
    assignment_state: str | None = None  # None: no assignment (never given, or released)
    assigned_at: datetime | None = None

    def live_since(self, now: datetime) -> datetime:
        """Open assignments handed out before this moment have expired."""
        return now - timedelta(minutes=self.timeout_minutes)

    def assignment_live(self, now: datetime) -> bool:
        """The caller holds one of the sentence's k places: an assignment that is done,
        skipped, or open and not expired."""
        if self.assignment_state is None:
            return False
        if self.assignment_state != AssignmentState.OPEN:
            return True
        return self.assigned_at is not None and self.assigned_at >= self.live_since(now)


def _prep(model: type[Model], field: str, value: object) -> Any:
    return model_field(model, field).get_db_prep_save(value, connection)


def _from_db(model: type[Model], field: str, value: object) -> Any:
    """A raw column value as the ORM would give it (the compiler's own converters)."""
    col = model_field(model, field).get_col(model._meta.db_table)
    for convert in [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]:
        value = convert(value, col, connection)
    return value


@cache
def _target_sql(vendor: str) -> str:
    s, p, a, g, m = Sentence, Project, Annotation, Assignment, Membership
    # The caller's current membership is joined (not left-joined): someone removed from
    # the project, or whose role is no longer annotator, gets no row at all.
    return (
        f"SELECT s.{column(s, 'id')}, s.{column(s, 'project')}, s.{column(s, 'text')}, p.{column(p, 'label_schema')}, "
        f"p.{column(p, 'overlap')}, p.{column(p, 'assignment_timeout_minutes')}, "
        f"a.{column(a, 'id')}, a.{column(a, 'version')}, a.{column(a, 'created_at')}, "
        f"g.{column(g, 'state')}, g.{column(g, 'assigned_at')} "
        f"FROM {table(s)} s JOIN {table(p)} p ON p.{column(p, 'id')} = s.{column(s, 'project')} "
        f"JOIN {table(m)} m ON m.{column(m, 'project')} = s.{column(s, 'project')} AND m.{column(m, 'user')} = %s "
        f"AND m.{column(m, 'role')} = %s "
        f"LEFT JOIN {table(a)} a ON a.{column(a, 'sentence')} = s.{column(s, 'id')} AND a.{column(a, 'annotator')} = %s "
        f"LEFT JOIN {table(g)} g ON g.{column(g, 'sentence')} = s.{column(s, 'id')} AND g.{column(g, 'annotator')} = %s "
        f"WHERE s.{column(s, 'id')} = %s"
    )


def save_target(*, sentence_id: int, annotator_id: int) -> SaveTarget | None:
    """The sentence if ``annotator_id`` may save an annotation of it, else None: they are
    an annotator of its project *now* (a removed or demoted member is refused at once),
    and it is assigned to them or they annotated it. One query: the permission test
    rides in the read. Whether a *submission* is allowed (a live assignment, or room on
    the sentence) is decided by the caller from the fields returned."""
    with connection.cursor() as cursor:
        cursor.execute(
            _target_sql(connection.vendor), [annotator_id, Role.ANNOTATOR.value, annotator_id, annotator_id, sentence_id]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    sid, project_id, text, schema, overlap, timeout, annotation_id, version, created_at, state, assigned_at = row
    if annotation_id is None and state is None:
        return None
    return SaveTarget(
        sentence_id=sid,
        project_id=project_id,
        text=text,
        schema=_from_db(Project, "label_schema", schema),
        annotation_id=annotation_id,
        version=version or 0,
        created_at=_from_db(Annotation, "created_at", created_at) if created_at is not None else None,
        overlap=overlap,
        timeout_minutes=timeout,
        assignment_state=state,
        assigned_at=_from_db(Assignment, "assigned_at", assigned_at) if assigned_at is not None else None,
    )


SAVED_FIELDS = ("labels", "status", "unsure", "seconds", "skip_reason", "note", "submitted_at", "updated_at")


@cache
def _update_sql(vendor: str) -> str:
    a = Annotation
    sets = ", ".join(f"{column(a, f)} = %s" for f in ("version", *SAVED_FIELDS))
    return f"UPDATE {table(a)} SET {sets} WHERE {column(a, 'id')} = %s AND {column(a, 'version')} = %s"


def _live_guard() -> str:
    """Only a live assignment follows a save: an expired one is not brought back to life
    by a late autosave (its place may already be someone else's)."""
    g = Assignment
    return f" AND NOT ({column(g, 'state')} = %s AND {column(g, 'assigned_at')} < %s)"


@cache
def _update_all_sql(assignment_fields: tuple[str, ...], guarded: bool = False) -> str:
    """PostgreSQL: update, history row and assignment in one statement (data-modifying
    WITH): one round trip, atomic without a transaction block of its own."""
    a, r, g = Annotation, AnnotationRevision, Assignment
    copied = ("version", "labels", "status", "unsure", "seconds")
    returning = ", ".join(column(a, f) for f in ("id", *copied))
    sql = (
        f"WITH updated AS ({_update_sql('postgresql')} RETURNING {returning}), "
        f"revision AS (INSERT INTO {table(r)} ({', '.join(column(r, f) for f in REVISION_FIELDS)}) "
        f"SELECT {returning}, %s FROM updated)"
    )
    if assignment_fields:
        sets = ", ".join(f"{column(g, f)} = %s" for f in assignment_fields)
        sql += (
            f", assignment AS (UPDATE {table(g)} SET {sets} WHERE {column(g, 'sentence')} = %s "
            f"AND {column(g, 'annotator')} = %s{_live_guard() if guarded else ''} AND EXISTS (SELECT 1 FROM updated))"
        )
    return sql + " SELECT count(*) FROM updated"


def annotation_update(
    *,
    annotation_id: int,
    version: int,
    fields: dict[str, object],
    saved_at: datetime,
    assignment: tuple[int, int, dict[str, object]] | None = None,
    live_since: datetime | None = None,
) -> bool:
    """Compare-and-set: write ``fields`` as version ``version + 1`` if the stored
    version is still ``version``, append the history row, and (``assignment``:
    sentence id, annotator id, fields) update the assignment -- with ``live_since``,
    only if it is live (not open since before then). All or nothing; False and
    nothing written if the version moved on."""
    update = [version + 1, *(_prep(Annotation, f, fields[f]) for f in SAVED_FIELDS), annotation_id, version]
    sentence_id, annotator_id, assignment_fields = assignment or (0, 0, {})
    names = tuple(assignment_fields)
    if connection.vendor == "postgresql":
        params = [*update, _prep(AnnotationRevision, "saved_at", saved_at)]
        if names:
            params += [*(_prep(Assignment, f, assignment_fields[f]) for f in names), sentence_id, annotator_id]
            if live_since is not None:
                params += [AssignmentState.OPEN.value, _prep(Assignment, "assigned_at", live_since)]
        with connection.cursor() as cursor:
            cursor.execute(_update_all_sql(names, live_since is not None), params)
            return cursor.fetchone()[0] == 1
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_update_sql(connection.vendor), update)
            if cursor.rowcount != 1:
                return False
        revision_insert(
            annotation_id=annotation_id, version=version + 1, fields=fields, saved_at=saved_at
        )
        if names:
            assignment_update(
                sentence_id=sentence_id, annotator_id=annotator_id, fields=assignment_fields, live_since=live_since
            )
    return True


REVISION_FIELDS = ("annotation", "version", "labels", "status", "unsure", "seconds", "saved_at")


@cache
def _revision_sql(vendor: str) -> str:
    r = AnnotationRevision
    columns = ", ".join(column(r, f) for f in REVISION_FIELDS)
    return f"INSERT INTO {table(r)} ({columns}) VALUES ({', '.join(['%s'] * len(REVISION_FIELDS))})"


def revision_insert(*, annotation_id: int, version: int, fields: dict[str, object], saved_at: datetime) -> None:
    values = {**fields, "annotation": annotation_id, "version": version, "saved_at": saved_at}
    with connection.cursor() as cursor:
        cursor.execute(_revision_sql(connection.vendor), [_prep(AnnotationRevision, f, values[f]) for f in REVISION_FIELDS])


@cache
def _assignment_sql(vendor: str, fields: tuple[str, ...], guarded: bool = False) -> str:
    g = Assignment
    sets = ", ".join(f"{column(g, f)} = %s" for f in fields)
    sql = f"UPDATE {table(g)} SET {sets} WHERE {column(g, 'sentence')} = %s AND {column(g, 'annotator')} = %s"
    return sql + (_live_guard() if guarded else "")


def assignment_update(
    *, sentence_id: int, annotator_id: int, fields: dict[str, object], live_since: datetime | None = None
) -> None:
    """Set the assignment's ``fields``; with ``live_since`` only if it is live."""
    names = tuple(fields)
    params = [*(_prep(Assignment, f, fields[f]) for f in names), sentence_id, annotator_id]
    if live_since is not None:
        params += [AssignmentState.OPEN.value, _prep(Assignment, "assigned_at", live_since)]
    with connection.cursor() as cursor:
        cursor.execute(_assignment_sql(connection.vendor, names, live_since is not None), params)
