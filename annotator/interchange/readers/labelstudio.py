"""Label Studio JSON and JSON_MIN exports (pure).

JSON: a list of tasks; ``data`` holds the imported fields (``data.text`` is the text) and
``annotations`` one entry per annotator with ``completed_by`` (a numeric user id, or in some
versions an object), ``lead_time`` (seconds), ``ground_truth``, ``was_cancelled`` and
``result``: ``labels`` items (``value = {start, end, text, labels}``) become entities,
``choices`` items (``value = {choices}``) stance labels (toward ``data.target`` if present).
Cancelled (skipped) annotations, drafts and predictions are not imported; other result
types are noted. A ground-truth annotation is also the task's gold.

Offsets are code points in Label Studio 1.x (the frontend converts before saving), but older
versions saved UTF-16 units and Label Studio checks nothing. Each span is checked against
its ``text``: if the code-point slice differs and the UTF-16 reading matches, the UTF-16
reading is used and noted (once per file, with the count); if neither matches, the span is
a misfit.

JSON_MIN: one record per annotation, the task's data fields and the results side by side:
``id`` (task), ``annotator`` (user id), ``lead_time``, span lists (lists of objects with
``start``/``end``/``labels``) and choices under the keys in ``ReadOptions.choice_fields``.

User ids become names with ``ReadOptions.users`` (from the ``GET /api/users/`` response,
see :func:`users_from_json`), else ``ls-user-<id>``.
"""

from __future__ import annotations

import json
from typing import Any

from ..offsets import Utf16Map
from ..sources import Member
from ..types import AnnotationIn, ReadOptions, ReadResult, SpanIn, StanceIn, Where
from ._common import is_int, json_document, only
from ._examples import ExampleSet

NAME = "labelstudio"
META_KEYS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"}


def users_from_json(data: bytes) -> dict[int, str]:
    """Label Studio ``GET /api/users/`` (a list, or a page with ``results``): id → username,
    else the e-mail's local part. Raises ValueError on anything else."""
    value = json.loads(data.decode("utf-8-sig"))
    if isinstance(value, dict):
        value = value.get("results")
    if not isinstance(value, list):
        raise ValueError("a users file is a JSON list of users with 'id' and 'username' or 'email'")
    out: dict[int, str] = {}
    for user in value:
        if isinstance(user, dict) and is_int(user.get("id")):
            name = _user_name(user)
            if name:
                out[user["id"]] = name
    return out


def _user_name(user: dict[str, Any]) -> str:
    username = user.get("username")
    if isinstance(username, str) and username.strip():
        return username.strip()
    email = user.get("email")
    return email.split("@")[0].strip() if isinstance(email, str) else ""


class _Reader:
    def __init__(self, options: ReadOptions) -> None:
        self.options = options
        self.result = ReadResult(NAME)
        self.examples = ExampleSet(self.result)
        self.utf16_spans = 0

    def annotator(self, value: object) -> str | None:
        if isinstance(value, dict):
            name = _user_name(value)
            value = value.get("id") if not name else name
            if name:
                return name
        if is_int(value):
            assert isinstance(value, int)
            return self.options.users.get(value) or f"ls-user-{value}"
        return None

    def span(self, text: str, utf16: Utf16Map, value: dict[str, Any], where: Where) -> list[SpanIn]:
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        if not (is_int(start) and is_int(end)):
            self.result.add(where, "a span needs integer 'start' and 'end'", "misfit")
            return []
        if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
            self.result.add(where, "a span needs a non-empty list of 'labels'", "misfit")
            return []
        assert isinstance(start, int) and isinstance(end, int)
        claimed = value.get("text")
        fits = 0 <= start < end <= len(text)
        if isinstance(claimed, str) and not (fits and text[start:end] == claimed):
            a, b = utf16.to_code_points(start), utf16.to_code_points(end)
            if a is not None and b is not None and a < b and text[a:b] == claimed:
                start, end = a, b
                self.utf16_spans += 1
            else:
                got = repr(text[start:end]) if fits else "nothing (outside the text)"
                self.result.add(
                    where, f"offsets [{start}, {end}) give {got}, not the span's text {claimed!r}", "misfit"
                )
                return []
        elif not fits:
            self.result.add(where, f"offsets [{start}, {end}) do not fit the text of {len(text)} characters", "misfit")
            return []
        return [SpanIn(start, end, label, where) for label in labels]

    def example(self, task_key: str, text: object, fields: dict[str, Any], where: Where) -> Any:
        if not isinstance(text, str):
            self.result.add(where, "the task has no text ('data.text')")
            return None
        return self.examples.get(task_key, text, fields, where)

    def keep(self, example: Any, ann: AnnotationIn, where: Where) -> None:
        if ann.annotator in example.annotations:
            self.result.add(where, f"{ann.annotator!r} has two annotations of this task; the later one is kept", "misfit")
        example.annotations[ann.annotator] = ann

    def tasks(self, name: str, tasks: list[Any]) -> None:
        for t, task in enumerate(tasks):
            where = Where(name, None, f"task {t}" + (f" (id {task.get('id')})" if isinstance(task, dict) else ""))
            if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
                self.result.add(where, "a task must be an object with 'data'")
                continue
            data = task["data"]
            key = str(task.get("id", f"{name}#{t}"))
            annotations = task.get("annotations") or []
            if not isinstance(annotations, list):
                self.result.add(where, "'annotations' must be a list")
                continue
            example = self.example(key, data.get("text"), {k: v for k, v in data.items() if k != "text"}, where)
            if example is None:
                continue
            text = example.text
            utf16 = Utf16Map(text)
            for a, annotation in enumerate(annotations):
                ann_where = Where(name, None, f"{where.detail}, annotation {a}" + (
                    f" (id {annotation.get('id')})" if isinstance(annotation, dict) else ""))
                if not isinstance(annotation, dict):
                    self.result.add(ann_where, "an annotation must be an object")
                    continue
                if annotation.get("was_cancelled"):
                    self.result.add(ann_where, "a cancelled (skipped) annotation is not imported", "note")
                    continue
                who = self.annotator(annotation.get("completed_by"))
                if who is None:
                    self.result.add(ann_where, "the annotation has no usable 'completed_by'")
                    continue
                ann = AnnotationIn(annotator=who, where=ann_where, covered=[(0, len(text))], seconds=_seconds(annotation))
                results = annotation.get("result") or []
                if not isinstance(results, list):
                    self.result.add(ann_where, "'result' must be a list")
                    continue
                for r, item in enumerate(results):
                    item_where = Where(name, None, f"{ann_where.detail}, result {r}")
                    value = item.get("value") if isinstance(item, dict) else None
                    if not isinstance(value, dict):
                        self.result.add(item_where, "a result must be an object with a 'value'", "misfit")
                        continue
                    kind = item.get("type")
                    if kind == "labels":
                        ann.entities += self.span(text, utf16, value, item_where)
                    elif kind == "choices":
                        choices = value.get("choices")
                        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                            self.result.add(item_where, "'choices' must be a list of strings", "misfit")
                            continue
                        ann.stance += [StanceIn(c, 0, len(text), item_where, example.target) for c in choices]
                    else:
                        self.result.add(item_where, f"result type {kind!r} is not imported", "note")
                self.keep(example, ann, ann_where)
                if annotation.get("ground_truth") is True:
                    if example.gold is not None:
                        self.result.add(ann_where, "the task has two ground-truth annotations; the later one is kept", "misfit")
                    example.gold = AnnotationIn("", ann_where, list(ann.entities), list(ann.stance), covered=ann.covered)

    def minimal(self, name: str, records: list[Any]) -> None:
        for r, record in enumerate(records):
            where = Where(name, None, f"record {r}" + (f" (task {record.get('id')})" if isinstance(record, dict) else ""))
            if not isinstance(record, dict):
                self.result.add(where, "a record must be an object")
                continue
            span_keys = [k for k, v in record.items() if k not in META_KEYS and _is_span_list(v)]
            choice_keys = [k for k in self.options.choice_fields if k in record]
            fields = {k: v for k, v in record.items() if k not in META_KEYS and k != "text" and k not in span_keys and k not in choice_keys}
            example = self.example(str(record.get("id", f"{name}#{r}")), record.get("text"), fields, where)
            if example is None:
                continue
            who = self.annotator(record.get("annotator"))
            if who is None:
                self.result.add(where, "the record has no usable 'annotator'")
                continue
            text = example.text
            utf16 = Utf16Map(text)
            ann = AnnotationIn(annotator=who, where=where, covered=[(0, len(text))], seconds=_seconds(record))
            for key in span_keys:
                for s, value in enumerate(record[key]):
                    ann.entities += self.span(text, utf16, value, Where(name, None, f"{where.detail}, {key}[{s}]"))
            for key in choice_keys:
                value = record[key]
                choices = value.get("choices") if isinstance(value, dict) else [value]
                if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                    self.result.add(Where(name, None, f"{where.detail}, {key}"), "a choice must be a string or {'choices': [...]}", "misfit")
                    continue
                ann.stance += [StanceIn(c, 0, len(text), where, example.target) for c in choices]
            self.keep(example, ann, where)


def _is_span_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and "start" in v and "end" in v and "labels" in v for v in value
    )


def _seconds(annotation: dict[str, Any]) -> float | None:
    value = annotation.get("lead_time")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


def read(members: list[Member], options: ReadOptions) -> ReadResult:
    reader = _Reader(options)
    result = reader.result
    for name, data in only(members, (".json",), result):
        value = json_document(result, name, data)
        if value is None:
            continue
        if not isinstance(value, list):
            result.add(Where(name, 1), "a Label Studio export is a JSON list of tasks")
            continue
        reader.utf16_spans = 0
        if value and all(isinstance(t, dict) and "data" in t for t in value):
            reader.tasks(name, value)
        else:
            reader.minimal(name, value)
        if reader.utf16_spans:
            result.add(
                Where(name),
                f"{reader.utf16_spans} span(s) had UTF-16 offsets (an older Label Studio); read as UTF-16, checked against their text",
                "note",
            )
    result.documents = reader.examples.documents()
    return result
