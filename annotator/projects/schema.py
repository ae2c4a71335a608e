"""Validation and normalisation of a project's label schema (pure: no Django).

A label schema (see CONTRACT.md, "Label schema") names what annotators may label:
entity types (with a workspace hotkey and a colour), stance targets and labels, and event
types with their argument roles. Every consumer -- ``create_project``, the project PATCH
endpoint, the demo loader, tests -- calls :func:`validate_label_schema` first and stores
:func:`normalize_label_schema` of the result.

Errors are plain dicts ``{"field": "<path>", "message": "<sentence>"}``; the path uses
the JSON shape (``entity_types[2].hotkey``, ``stance.labels[0]``); ``""`` is the schema
itself. All errors are returned at once so a lead can fix a schema in one round trip.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

Error = dict[str, str]

# Keys the annotation workspace binds itself; an entity hotkey must not shadow them.
# Compared case-insensitively, because the workspace matches keys without Shift.
RESERVED_HOTKEYS: frozenset[str] = frozenset({"s", "u", "e", "?", " ", *"0123456789"})
_RESERVED_MEANING = {"s": "skip", "u": "unsure", "e": "event mode", "?": "help", " ": "space"}

# Okabe & Ito (2008) colour-blind-safe palette, then Paul Tol's "bright" scheme for more
# types; default colours cycle through it in order, skipping colours already taken.
DEFAULT_PALETTE: tuple[str, ...] = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    "#4477aa", "#66ccee", "#228833", "#ccbb44", "#ee6677", "#aa3377", "#bbbbbb",
)  # fmt: skip

TOP_LEVEL_KEYS = frozenset({"entity_types", "allow_overlapping_entities", "stance", "event_types"})
ENTITY_TYPE_KEYS = frozenset({"name", "hotkey", "color", "description"})
STANCE_KEYS = frozenset({"targets", "labels"})
EVENT_TYPE_KEYS = frozenset({"name", "roles", "description"})

# Bounds keep the workspace usable and a hostile PATCH cheap to reject.
MAX_ENTITY_TYPES = 200
MAX_EVENT_TYPES = 200
MAX_ROLES = 50
MAX_STANCE_TARGETS = 50
MAX_STANCE_LABELS = 20
MAX_NAME_LENGTH = 100
MAX_TARGET_LENGTH = 300  # targets are phrases ("the Russia–North Korea mutual defence pact")
MAX_DESCRIPTION_LENGTH = 1000

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _err(field: str, message: str) -> Error:
    return {"field": field, "message": message}


def json_type_name(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _join(prefix: str, key: object) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def _unknown_keys(obj: dict[Any, Any], allowed: frozenset[str], prefix: str) -> list[Error]:
    # Typo protection: a misspelt "colour" or "hotkeys" would otherwise be dropped silently.
    errors = []
    for key in obj:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            errors.append(_err(_join(prefix, key), f"Unknown key {key!r}; expected one of: {expected}."))
    return errors


def _check_name(value: object, field: str, what: str, max_length: int = MAX_NAME_LENGTH) -> list[Error]:
    """A label-like string: non-empty, no surrounding whitespace, printable, bounded."""
    if not isinstance(value, str):
        return [_err(field, f"The {what} must be a string, not {json_type_name(value)}.")]
    if not value:
        return [_err(field, f"The {what} must not be empty.")]
    if value != value.strip():
        # Not stripped silently: "GPE " and "GPE" would then be two names in stored data.
        return [_err(field, f"The {what} {value!r} must not start or end with whitespace.")]
    if len(value) > max_length:
        return [_err(field, f"The {what} is {len(value)} characters long; at most {max_length} are allowed.")]
    if not value.isprintable():
        return [_err(field, f"The {what} {value!r} contains a control or non-printable character.")]
    return []


def _check_unique_names(values: Iterable[tuple[int, object]], prefix: str, what: str) -> list[Error]:
    """Report each repeated string (case-sensitive) at its second and later positions."""
    errors = []
    seen: dict[str, int] = {}
    for index, value in values:
        if not isinstance(value, str):
            continue
        if value in seen:
            errors.append(_err(f"{prefix}[{index}]", f"The {what} {value!r} repeats {prefix}[{seen[value]}]."))
        else:
            seen[value] = index
    return errors


def _check_string_list(value: object, field: str, what: str, max_items: int, max_length: int) -> list[Error]:
    """A list of unique, non-empty names."""
    if not isinstance(value, list):
        return [_err(field, f"The {what}s must be a list of strings, not {json_type_name(value)}.")]
    if len(value) > max_items:
        return [_err(field, f"There are {len(value)} {what}s; at most {max_items} are allowed.")]
    errors = []
    for index, item in enumerate(value):
        errors += _check_name(item, f"{field}[{index}]", what, max_length)
    errors += _check_unique_names(enumerate(value), field, what)
    return errors


def _check_hotkey(value: object, field: str) -> list[Error]:
    if value is None:
        return []  # no hotkey: the type is picked from the palette with the mouse or Tab
    if not isinstance(value, str):
        return [_err(field, f"The hotkey must be a single character, not {json_type_name(value)}.")]
    if len(value) != 1:
        return [_err(field, f"The hotkey {value!r} must be exactly one character.")]
    if value.lower() in RESERVED_HOTKEYS:
        meaning = _RESERVED_MEANING.get(value.lower(), "stance labels")
        return [_err(field, f"The hotkey {value!r} is reserved by the workspace ({meaning}).")]
    if not value.isprintable() or value.isspace():
        return [_err(field, f"The hotkey {value!r} must be a printable character.")]
    return []


def _validate_entity_types(value: object) -> list[Error]:
    if not isinstance(value, list):
        return [_err("entity_types", f"The entity types must be a list, not {json_type_name(value)}.")]
    if len(value) > MAX_ENTITY_TYPES:
        return [_err("entity_types", f"There are {len(value)} entity types; at most {MAX_ENTITY_TYPES} are allowed.")]
    errors: list[Error] = []
    names: list[tuple[int, object]] = []
    hotkeys: dict[str, int] = {}
    for index, item in enumerate(value):
        path = f"entity_types[{index}]"
        if not isinstance(item, dict):
            errors.append(_err(path, f"Each entity type must be an object, not {json_type_name(item)}."))
            continue
        errors += _unknown_keys(item, ENTITY_TYPE_KEYS, path)
        if "name" not in item:
            errors.append(_err(f"{path}.name", "The entity type has no name."))
        else:
            errors += _check_name(item["name"], f"{path}.name", "entity type name")
            names.append((index, item["name"]))
        hotkey = item.get("hotkey")
        hotkey_errors = _check_hotkey(hotkey, f"{path}.hotkey")
        errors += hotkey_errors
        if isinstance(hotkey, str) and not hotkey_errors:
            # "G" and "g" clash: the workspace ignores Shift when matching.
            folded = hotkey.lower()
            if folded in hotkeys:
                errors.append(
                    _err(f"{path}.hotkey", f"The hotkey {hotkey!r} is already used by entity_types[{hotkeys[folded]}].")
                )
            else:
                hotkeys[folded] = index
        if "color" in item:
            color = item["color"]
            if not isinstance(color, str) or not _COLOR.fullmatch(color):
                errors.append(_err(f"{path}.color", f"The colour must look like '#rrggbb', not {color!r}."))
        if "description" in item:
            errors += _check_description(item["description"], f"{path}.description")
    for error in _check_unique_names(names, "entity_types", "entity type name"):
        error["field"] += ".name"  # point at the name, not the whole entity type
        errors.append(error)
    return errors


def _check_description(value: object, field: str) -> list[Error]:
    if not isinstance(value, str):
        return [_err(field, f"The description must be a string, not {json_type_name(value)}.")]
    if len(value) > MAX_DESCRIPTION_LENGTH:
        return [_err(field, f"The description is {len(value)} characters long; at most {MAX_DESCRIPTION_LENGTH}.")]
    return []


def _validate_stance(value: object) -> list[Error]:
    if not isinstance(value, dict):
        return [_err("stance", f"The stance section must be an object, not {json_type_name(value)}.")]
    errors = _unknown_keys(value, STANCE_KEYS, "stance")
    targets = value.get("targets", [])
    labels = value.get("labels", [])
    errors += _check_string_list(targets, "stance.targets", "stance target", MAX_STANCE_TARGETS, MAX_TARGET_LENGTH)
    errors += _check_string_list(labels, "stance.labels", "stance label", MAX_STANCE_LABELS, MAX_NAME_LENGTH)
    if isinstance(targets, list) and targets and isinstance(labels, list) and len(labels) < 2:
        # One label is no choice at all; agreement on it would be undefined.
        errors.append(_err("stance.labels", "At least two stance labels are needed when there are stance targets."))
    return errors


def _validate_event_types(value: object) -> list[Error]:
    if not isinstance(value, list):
        return [_err("event_types", f"The event types must be a list, not {json_type_name(value)}.")]
    if len(value) > MAX_EVENT_TYPES:
        return [_err("event_types", f"There are {len(value)} event types; at most {MAX_EVENT_TYPES} are allowed.")]
    errors: list[Error] = []
    names: list[tuple[int, object]] = []
    for index, item in enumerate(value):
        path = f"event_types[{index}]"
        if not isinstance(item, dict):
            errors.append(_err(path, f"Each event type must be an object, not {json_type_name(item)}."))
            continue
        errors += _unknown_keys(item, EVENT_TYPE_KEYS, path)
        if "name" not in item:
            errors.append(_err(f"{path}.name", "The event type has no name."))
        else:
            errors += _check_name(item["name"], f"{path}.name", "event type name")
            names.append((index, item["name"]))
        if "roles" not in item:
            errors.append(_err(f"{path}.roles", "The event type has no roles list (use [] for none)."))
        else:
            errors += _check_string_list(item["roles"], f"{path}.roles", "role", MAX_ROLES, MAX_NAME_LENGTH)
        if "description" in item:
            errors += _check_description(item["description"], f"{path}.description")
    for error in _check_unique_names(names, "event_types", "event type name"):
        error["field"] += ".name"
        errors.append(error)
    return errors


def validate_label_schema(schema: object) -> list[dict[str, str]]:
    """All problems with a label schema, as ``{"field", "message"}`` dicts; ``[]`` if valid.

    Accepts any value (parsed JSON or not) and never raises. Required: ``entity_types``
    (may be empty). Optional: ``allow_overlapping_entities`` (bool), ``stance``
    (``{"targets", "labels"}``), ``event_types``. Unknown keys at any level are errors.
    """
    if not isinstance(schema, dict):
        return [_err("", f"The label schema must be a JSON object, not {json_type_name(schema)}.")]
    errors = _unknown_keys(schema, TOP_LEVEL_KEYS, "")
    if "entity_types" not in schema:
        errors.append(_err("entity_types", "The label schema has no 'entity_types' list (use [] for none)."))
    else:
        errors += _validate_entity_types(schema["entity_types"])
    if "allow_overlapping_entities" in schema and not isinstance(schema["allow_overlapping_entities"], bool):
        value = schema["allow_overlapping_entities"]
        errors.append(_err("allow_overlapping_entities", f"Must be true or false, not {json_type_name(value)}."))
    if "stance" in schema:
        errors += _validate_stance(schema["stance"])
    if "event_types" in schema:
        errors += _validate_event_types(schema["event_types"])
    return errors


def normalize_label_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A complete copy of a valid schema, with every optional key filled in.

    Precondition: ``validate_label_schema(schema) == []`` (not re-checked). The input is
    not modified. Defaults: ``allow_overlapping_entities`` False; ``stance``
    ``{"targets": [], "labels": []}``; ``event_types`` ``[]``; per entity type ``hotkey``
    None, ``description`` "", ``color`` the first palette colour no other type uses
    (cycling when all are taken); per event type ``description`` "". Idempotent: the
    output is valid and normalising it again returns an equal dict.
    """
    result = copy.deepcopy(schema)
    result.setdefault("allow_overlapping_entities", False)
    stance = result.setdefault("stance", {})
    stance.setdefault("targets", [])
    stance.setdefault("labels", [])
    result.setdefault("event_types", [])
    entity_types = result["entity_types"]
    taken = {t["color"].lower() for t in entity_types if "color" in t}
    free = [c for c in DEFAULT_PALETTE if c not in taken] or list(DEFAULT_PALETTE)
    missing = 0
    for entity_type in entity_types:
        entity_type.setdefault("hotkey", None)
        entity_type.setdefault("description", "")
        if "color" not in entity_type:
            entity_type["color"] = free[missing % len(free)]
            missing += 1
    for event_type in result["event_types"]:
        event_type.setdefault("description", "")
    return result
