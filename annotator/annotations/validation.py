"""Validation of one annotator's annotation of one sentence against a label schema (pure).

This is the single place (STYLE rule 3) that decides whether the labels of an annotation
fit the project: the API, importers, adjudication and tests all call
:func:`validate_annotation`. It checks the labels part of the CONTRACT annotation
(``entities``, ``stance``, ``events``); the bookkeeping keys (``status``, ``version``,
``unsure``, ``seconds``, ``skip_reason``, ``note``) are allowed and left to the API.

Offsets are 0-based, end-exclusive Unicode code points relative to the sentence text
(``sentence_text[start:end]``). A span may carry an optional ``text``; when present it
must equal that slice, which catches offsets computed on another version of the text.

Errors are ``{"field": "<path>", "message": "<sentence>"}`` with paths such as
``entities[0].start`` or ``events[1].arguments[0].role``; ``""`` is the payload itself.
"""

from __future__ import annotations

from typing import Any

from annotator.projects.schema import json_type_name

Error = dict[str, str]

LABEL_KEYS = frozenset({"entities", "stance", "events"})
# Checked by the API layer (status machine, optimistic locking); allowed through here.
BOOKKEEPING_KEYS = frozenset({"status", "version", "unsure", "seconds", "skip_reason", "note"})
ENTITY_KEYS = frozenset({"start", "end", "label", "text"})
STANCE_KEYS = frozenset({"target", "label"})
EVENT_KEYS = frozenset({"type", "trigger", "arguments"})
TRIGGER_KEYS = frozenset({"start", "end", "text"})
ARGUMENT_KEYS = frozenset({"role", "start", "end", "text"})

# Far above any real sentence; bounds the quadratic overlap check on hostile input.
MAX_ENTITIES = 500
MAX_EVENTS = 100
MAX_ARGUMENTS = 50
MAX_STANCE_ITEMS = 100


def _err(field: str, message: str) -> Error:
    return {"field": field, "message": message}


def _is_int(value: object) -> bool:
    # bool is a subclass of int in Python, but true/false are never offsets.
    return isinstance(value, int) and not isinstance(value, bool)


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _span_words(text: str, item: dict[Any, Any]) -> str:
    """`` of 'Pyongyang' (17-26)`` for a span with valid offsets, else "" (so an error about a
    label also says which span carries it: a stale label is found without counting entities)."""
    start, end = item.get("start"), item.get("end")
    if not (_is_int(start) and _is_int(end)) or not 0 <= start < end <= len(text):  # type: ignore[operator]
        return ""
    return f" of {_short(text[start:end])} ({start}-{end})"  # type: ignore[index]


def _unknown_keys(obj: dict[Any, Any], allowed: frozenset[str], prefix: str) -> list[Error]:
    errors = []
    for key in obj:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            field = f"{prefix}.{key}" if prefix else str(key)
            errors.append(_err(field, f"Unknown key {key!r}; expected one of: {expected}."))
    return errors


def validate_span(text: str, start: object, end: object, field: str) -> list[Error]:
    """Errors for the span ``text[start:end]``, reported at ``<field>.start`` / ``<field>.end``.

    A valid span has int offsets (not bool) with ``0 <= start < end <= len(text)`` and
    neither starts nor ends on whitespace (offsets that drifted by one usually do).
    Never raises; any value may be passed as an offset.
    """
    errors = []
    for name, value in (("start", start), ("end", end)):
        if not _is_int(value):
            errors.append(
                _err(f"{field}.{name}", f"The {name} offset must be an integer, not {json_type_name(value)}.")
            )
    if errors:
        return errors
    assert isinstance(start, int) and isinstance(end, int)  # for the type checker
    length = len(text)
    if start < 0:
        errors.append(_err(f"{field}.start", f"The start offset {start} is negative."))
    if end > length:
        errors.append(_err(f"{field}.end", f"The end offset {end} is past the end of the sentence (length {length})."))
    if start >= end:
        errors.append(_err(f"{field}.end", f"The end offset {end} must be greater than the start offset {start}."))
    if errors:
        return errors
    if text[start].isspace():
        errors.append(_err(f"{field}.start", f"The span {_short(text[start:end])} starts with whitespace."))
    if text[end - 1].isspace():
        errors.append(_err(f"{field}.end", f"The span {_short(text[start:end])} ends with whitespace."))
    return errors


def _validate_span_object(
    text: str, item: dict[Any, Any], field: str, allowed: frozenset[str]
) -> tuple[list[Error], bool]:
    """Key, offset and ``text`` checks of a span-like object; also says if the offsets are valid."""
    errors = _unknown_keys(item, allowed, field)
    missing = [key for key in ("start", "end") if key not in item]
    for key in missing:
        errors.append(_err(f"{field}.{key}", f"The span has no {key!r} offset."))
    if missing:
        return errors, False
    span_errors = validate_span(text, item["start"], item["end"], field)
    errors += span_errors
    if "text" in item:
        claimed = item["text"]
        if not isinstance(claimed, str):
            errors.append(_err(f"{field}.text", f"The span text must be a string, not {json_type_name(claimed)}."))
        elif not span_errors and text[item["start"] : item["end"]] != claimed:
            actual = text[item["start"] : item["end"]]
            errors.append(
                _err(
                    f"{field}.text", f"The span text {_short(claimed)} differs from the sentence text {_short(actual)}."
                )
            )
    return errors, not span_errors


def _list_field(payload: dict[Any, Any], key: str, limit: int, what: str) -> tuple[list[Any], list[Error]]:
    """The list under ``key`` (missing means empty) or an error."""
    value = payload.get(key, [])
    if not isinstance(value, list):
        return [], [_err(key, f"The {what} must be a list, not {json_type_name(value)}.")]
    if len(value) > limit:
        return [], [_err(key, f"There are {len(value)} {what}; at most {limit} are allowed.")]
    return value, []


def _validate_entities(schema: dict[str, Any], text: str, entities: list[Any]) -> list[Error]:
    labels = {t.get("name") for t in schema.get("entity_types", []) if isinstance(t, dict)}
    allow_overlap = schema.get("allow_overlapping_entities", False) is True
    errors: list[Error] = []
    spans: list[tuple[int, int, int, object]] = []  # (index, start, end, label) of well-formed ones
    for index, item in enumerate(entities):
        path = f"entities[{index}]"
        if not isinstance(item, dict):
            errors.append(_err(path, f"Each entity must be an object, not {json_type_name(item)}."))
            continue
        span_errors, span_ok = _validate_span_object(text, item, path, ENTITY_KEYS)
        errors += span_errors
        label = item.get("label")
        if "label" not in item:
            errors.append(_err(f"{path}.label", "The entity has no label."))
        elif not isinstance(label, str):
            errors.append(_err(f"{path}.label", f"The entity label must be a string, not {json_type_name(label)}."))
        elif label not in labels:
            errors.append(_err(f"{path}.label", f"The entity label {label!r}{_span_words(text, item)} "
                                                "is not in the project's schema."))
        if span_ok:
            spans.append((index, item["start"], item["end"], label))
    for position, (index, start, end, label) in enumerate(spans):
        for other_index, other_start, other_end, other_label in spans[:position]:
            if (start, end) == (other_start, other_end) and label == other_label:
                errors.append(_err(f"entities[{index}]", f"The entity repeats entities[{other_index}]."))
                break
            if not allow_overlap and start < other_end and other_start < end:
                errors.append(
                    _err(
                        f"entities[{index}]",
                        f"The entity {_short(text[start:end])} overlaps entities[{other_index}] "
                        f"{_short(text[other_start:other_end])}; this project does not allow overlapping entities.",
                    )
                )
                break
    return errors


def _validate_stance(schema: dict[str, Any], stance: list[Any], require_all_targets: bool) -> list[Error]:
    section = schema.get("stance") if isinstance(schema.get("stance"), dict) else {}
    targets = section.get("targets", []) if isinstance(section, dict) else []
    labels = section.get("labels", []) if isinstance(section, dict) else []
    errors: list[Error] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(stance):
        path = f"stance[{index}]"
        if not isinstance(item, dict):
            errors.append(_err(path, f"Each stance item must be an object, not {json_type_name(item)}."))
            continue
        errors += _unknown_keys(item, STANCE_KEYS, path)
        target = item.get("target")
        if "target" not in item:
            errors.append(_err(f"{path}.target", "The stance item has no target."))
        elif not isinstance(target, str):
            errors.append(_err(f"{path}.target", f"The stance target must be a string, not {json_type_name(target)}."))
        elif target not in targets:
            errors.append(_err(f"{path}.target", f"The stance target {_short(target)} is not in the project's schema."))
        elif target in seen:
            errors.append(
                _err(f"{path}.target", f"The target {_short(target)} already has a stance in stance[{seen[target]}].")
            )
        else:
            seen[target] = index
        label = item.get("label")
        if "label" not in item:
            errors.append(_err(f"{path}.label", "The stance item has no label."))
        elif not isinstance(label, str):
            errors.append(_err(f"{path}.label", f"The stance label must be a string, not {json_type_name(label)}."))
        elif label not in labels:
            errors.append(_err(f"{path}.label", f"The stance label {label!r} is not in the project's schema."))
    if require_all_targets:
        for target in targets:
            if target not in seen:
                # The whole target (at most 300 characters): the annotator must know which one.
                errors.append(_err("stance", f"The target {target!r} has no stance label; "
                                             "every target needs one before the sentence is submitted."))
    return errors


def _validate_events(schema: dict[str, Any], text: str, events: list[Any]) -> list[Error]:
    roles_by_type: dict[str, set[str]] = {}
    for event_type in schema.get("event_types", []):
        if isinstance(event_type, dict) and isinstance(event_type.get("name"), str):
            schema_roles = event_type.get("roles", [])
            roles_by_type[event_type["name"]] = set(schema_roles) if isinstance(schema_roles, list) else set()
    errors: list[Error] = []
    triggers: dict[tuple[object, int, int], int] = {}
    for index, item in enumerate(events):
        path = f"events[{index}]"
        if not isinstance(item, dict):
            errors.append(_err(path, f"Each event must be an object, not {json_type_name(item)}."))
            continue
        errors += _unknown_keys(item, EVENT_KEYS, path)
        event_type = item.get("type")
        trigger = item.get("trigger")
        roles: set[str] | None = None  # None: unknown type, so roles cannot be checked
        if "type" not in item:
            errors.append(_err(f"{path}.type", "The event has no type."))
        elif not isinstance(event_type, str):
            errors.append(_err(f"{path}.type", f"The event type must be a string, not {json_type_name(event_type)}."))
        elif event_type not in roles_by_type:
            words = _span_words(text, trigger) if isinstance(trigger, dict) else ""
            errors.append(_err(f"{path}.type", f"The event type {event_type!r}{words} is not in the project's schema."))
        else:
            roles = roles_by_type[event_type]
        if "trigger" not in item:
            errors.append(_err(f"{path}.trigger", "The event has no trigger."))
        elif not isinstance(trigger, dict):
            errors.append(_err(f"{path}.trigger", f"The trigger must be an object, not {json_type_name(trigger)}."))
        else:
            trigger_errors, trigger_ok = _validate_span_object(text, trigger, f"{path}.trigger", TRIGGER_KEYS)
            errors += trigger_errors
            if trigger_ok:
                key = (event_type if isinstance(event_type, str) else None, trigger["start"], trigger["end"])
                if key in triggers:
                    errors.append(_err(path, f"The event repeats events[{triggers[key]}] (same type and trigger)."))
                else:
                    triggers[key] = index
        arguments = item.get("arguments", [])
        if not isinstance(arguments, list):
            errors.append(_err(f"{path}.arguments", f"The arguments must be a list, not {json_type_name(arguments)}."))
            continue
        if len(arguments) > MAX_ARGUMENTS:
            errors.append(_err(f"{path}.arguments", f"There are {len(arguments)} arguments; at most {MAX_ARGUMENTS}."))
            continue
        seen_arguments: dict[tuple[str, int, int], int] = {}
        for arg_index, argument in enumerate(arguments):
            arg_path = f"{path}.arguments[{arg_index}]"
            if not isinstance(argument, dict):
                errors.append(_err(arg_path, f"Each argument must be an object, not {json_type_name(argument)}."))
                continue
            arg_errors, arg_ok = _validate_span_object(text, argument, arg_path, ARGUMENT_KEYS)
            errors += arg_errors
            role = argument.get("role")
            if "role" not in argument:
                errors.append(_err(f"{arg_path}.role", "The argument has no role."))
            elif not isinstance(role, str):
                errors.append(_err(f"{arg_path}.role", f"The role must be a string, not {json_type_name(role)}."))
            elif roles is not None and role not in roles:
                errors.append(_err(f"{arg_path}.role",
                                   f"The role {role!r}{_span_words(text, argument)} is not a role of {event_type!r}."))
            elif arg_ok:
                key = (role, argument["start"], argument["end"])
                if key in seen_arguments:
                    errors.append(_err(arg_path, f"The argument repeats {path}.arguments[{seen_arguments[key]}]."))
                else:
                    seen_arguments[key] = arg_index
    return errors


def validate_annotation(
    schema: dict[str, Any], sentence_text: str, payload: object, *, require_all_targets: bool = False
) -> list[dict[str, str]]:
    """All problems with ``payload`` as an annotation of ``sentence_text``; ``[]`` if valid.

    Precondition: ``schema`` passed ``validate_label_schema`` (normalised or not).
    ``payload`` may be any value and this never raises. Missing ``entities``, ``stance``
    or ``events`` mean empty lists (a draft may be partial). Checked: types; unknown keys
    (bookkeeping keys are allowed); offsets (see :func:`validate_span`) and optional span
    ``text``; entity labels, duplicates, and overlaps unless the schema allows them;
    stance targets and labels, at most one item per target (exactly one for every target
    with ``require_all_targets``, or when the schema's stance section says
    ``"required": true`` and the payload's ``status`` is ``"submitted"``); event types, triggers,
    roles of that type, duplicate events and arguments.
    """
    if not isinstance(payload, dict):
        return [_err("", f"The annotation must be a JSON object, not {json_type_name(payload)}.")]
    errors = _unknown_keys(payload, LABEL_KEYS | BOOKKEEPING_KEYS, "")
    entities, list_errors = _list_field(payload, "entities", MAX_ENTITIES, "entities")
    errors += list_errors + _validate_entities(schema, sentence_text, entities)
    stance, list_errors = _list_field(payload, "stance", MAX_STANCE_ITEMS, "stance items")
    if list_errors:
        errors += list_errors
    else:
        # A schema with ``"stance": {"required": true}`` needs every target on submission
        # (not on drafts or skips: those may be partial).
        section = schema.get("stance")
        required = isinstance(section, dict) and section.get("required") is True
        submitted = payload.get("status") == "submitted"
        errors += _validate_stance(schema, stance, require_all_targets or (required and submitted))
    events, list_errors = _list_field(payload, "events", MAX_EVENTS, "events")
    errors += list_errors + _validate_events(schema, sentence_text, events)
    return errors
