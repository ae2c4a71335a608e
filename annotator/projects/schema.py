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
STANCE_KEYS = frozenset({"targets", "labels", "required"})
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

# brat standoff allows letters, digits, "_" and "-" in type and role names; the brat writer
# (annotator/exports/formats/brat.py, ``brat_type``) writes every other run of characters as
# one "-". Two names that become the same brat name would merge in annotation.conf, so the
# schema refuses them (tests/projects/test_schema_names.py pins the two functions together).
_BRAT_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def brat_safe_name(name: str) -> str:
    """How a type or role name is written in brat exports (``Movement:Transport`` →
    ``Movement-Transport``, ``New Type`` → ``New-Type``); ``X`` when nothing is left."""
    return _BRAT_UNSAFE.sub("-", name).strip("-") or "X"


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
            name_errors = _check_name(item["name"], f"{path}.name", "entity type name")
            if not name_errors and any(ch.isspace() for ch in item["name"]):
                # CoNLL columns are split on whitespace: "B-New Type" would be read as "B-New".
                name_errors = [_err(f"{path}.name", f"The entity type name {item['name']!r} contains whitespace, "
                                    "which CoNLL exports cannot hold (B-New Type is read as B-New); "
                                    "use '_' or '-' instead.")]
            errors += name_errors
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
    if "required" in value and not isinstance(value["required"], bool):
        # true: a submission (not a draft or skip) needs a label for every target.
        errors.append(_err("stance.required", f"Must be true or false, not {json_type_name(value['required'])}."))
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


def _brat_collisions(schema: dict[str, Any]) -> list[Error]:
    """Names that brat exports would write the same way (see :func:`brat_safe_name`): entity
    and event types share brat's one namespace of types; roles are compared within their
    event type. Reported at the later name; identical names are left to the duplicate checks."""
    groups: list[list[tuple[object, str]]] = [[]]  # the types, then each event type's roles
    for section in ("entity_types", "event_types"):
        items = schema.get(section)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            groups[0].append((item.get("name"), f"{section}[{index}].name"))
            roles = item.get("roles") if section == "event_types" else None
            if isinstance(roles, list):
                groups.append([(role, f"{section}[{index}].roles[{r}]") for r, role in enumerate(roles)])
    errors: list[Error] = []
    for group in groups:
        seen: dict[str, tuple[str, str]] = {}  # brat form -> (path, name)
        for name, path in group:
            if not isinstance(name, str) or not name:
                continue
            form = brat_safe_name(name)
            if form in seen and seen[form][1] != name:
                other_path, other = seen[form]
                errors.append(_err(path, f"The name {name!r} is written {form!r} in brat exports, like {other!r} "
                                         f"({other_path}); rename one of them."))
            else:
                seen.setdefault(form, (path, name))
    return errors


def validate_label_schema(schema: object) -> list[dict[str, str]]:
    """All problems with a label schema, as ``{"field", "message"}`` dicts; ``[]`` if valid.

    Accepts any value (parsed JSON or not) and never raises. Required: ``entity_types``
    (may be empty). Optional: ``allow_overlapping_entities`` (bool), ``stance``
    (``{"targets", "labels", "required"}``; ``required`` true makes a
    submission need a label for every target), ``event_types``. Unknown keys at any level are errors.
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
    errors += _brat_collisions(schema)
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


# --- schema changes: what a new schema removes, renames, and what stored labels use -----------

# A name in a schema, as ``(kind, event type, name)``; the event type is "" except for roles,
# whose names only mean something within their event type.
NameKey = tuple[str, str, str]
RENAME_KINDS: tuple[str, ...] = ("entity_types", "stance_targets", "stance_labels", "event_types", "roles")
_KIND_WORDS = {"entity_types": "entity type", "stance_targets": "stance target", "stance_labels": "stance label",
               "event_types": "event type", "roles": "role"}


def _names(items: object, key: str | None = None) -> list[str]:
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        value = item.get(key) if key is not None and isinstance(item, dict) else item
        if isinstance(value, str):
            out.append(value)
    return out


def _roles_by_type(schema: dict[str, Any]) -> dict[str, list[str]]:
    events = schema.get("event_types")
    return {item["name"]: _names(item.get("roles"))
            for item in (events if isinstance(events, list) else [])
            if isinstance(item, dict) and isinstance(item.get("name"), str)}


def schema_name_keys(schema: dict[str, Any]) -> list[NameKey]:
    """Every name of a valid schema, in schema order."""
    stance = schema.get("stance") if isinstance(schema.get("stance"), dict) else {}
    assert isinstance(stance, dict)
    keys: list[NameKey] = [("entity_types", "", n) for n in _names(schema.get("entity_types"), "name")]
    keys += [("stance_targets", "", n) for n in _names(stance.get("targets"))]
    keys += [("stance_labels", "", n) for n in _names(stance.get("labels"))]
    for event_type, roles in _roles_by_type(schema).items():
        keys.append(("event_types", "", event_type))
        keys += [("roles", event_type, role) for role in roles]
    return keys


def _renamed(renames: dict[str, Any], kind: str, name: str, event_type: str = "") -> str | None:
    table = renames.get(kind) if isinstance(renames, dict) else None
    if kind == "roles":
        table = table.get(event_type) if isinstance(table, dict) else None
    value = table.get(name) if isinstance(table, dict) else None
    return value if isinstance(value, str) else None


def schema_removals(old: dict[str, Any], new: dict[str, Any], renames: dict[str, Any] | None = None) -> list[NameKey]:
    """The names of ``old`` that ``new`` no longer has, in ``old``'s order. A role is removed
    when the event type that takes over its events (the same name, or the event type's
    rename) lacks it; the roles of a removed event type go with it and are not listed."""
    renames = renames or {}
    kept = set(schema_name_keys(new))
    new_roles = _roles_by_type(new)
    removed: list[NameKey] = []
    for kind, event_type, name in schema_name_keys(old):
        if kind != "roles":
            if (kind, "", name) not in kept:
                removed.append((kind, "", name))
            continue
        successor = event_type if event_type in new_roles else _renamed(renames, "event_types", event_type)
        if successor in new_roles and name not in new_roles[successor]:
            removed.append((kind, event_type, name))
    return removed


def check_renames(renames: object, old: dict[str, Any], new: dict[str, Any]) -> list[Error]:
    """Problems with a ``renames`` request (paths ``renames.<kind>.<old name>``; roles
    ``renames.roles.<old event type>.<old role>``). Only names the new schema removes can be
    renamed, and only onto a name the new schema has (renaming onto a name that already
    exists merges the two)."""
    if renames is None:
        return []
    if not isinstance(renames, dict):
        return [_err("renames", f"The renames must be an object, not {json_type_name(renames)}.")]
    errors = _unknown_keys(renames, frozenset(RENAME_KINDS), "renames")
    removed = set(schema_removals(old, new, renames))
    new_keys = set(schema_name_keys(new))
    new_roles = _roles_by_type(new)

    def check_table(table: object, kind: str, path: str, event_type: str = "") -> None:
        if not isinstance(table, dict):
            errors.append(_err(path, f"Must be an object of old name to new name, not {json_type_name(table)}."))
            return
        word = _KIND_WORDS[kind]
        for old_name, new_name in table.items():
            field = f"{path}.{old_name}"
            if not isinstance(new_name, str):
                errors.append(_err(field, f"The new {word} must be a string, not {json_type_name(new_name)}."))
            elif (kind, event_type, old_name) not in removed:
                errors.append(_err(field, f"The {word} {old_name!r} is not removed by the new schema; "
                                          "only removed names can be renamed."))
            elif kind == "roles":
                successor = event_type if event_type in new_roles else _renamed(renames, "event_types", event_type)
                if new_name not in new_roles.get(successor or "", []):
                    errors.append(_err(field, f"The role {new_name!r} is not a role of {successor!r} in the new schema."))
            elif (kind, "", new_name) not in new_keys:
                errors.append(_err(field, f"The {word} {new_name!r} is not in the new schema."))

    for kind in RENAME_KINDS:
        if kind not in renames:
            continue
        if kind == "roles":
            tables = renames["roles"]
            if not isinstance(tables, dict):
                errors.append(_err("renames.roles", "Must be an object of event type to {old role: new role}."))
                continue
            for event_type, table in tables.items():
                check_table(table, "roles", f"renames.roles.{event_type}", event_type)
        else:
            check_table(renames[kind], kind, f"renames.{kind}")
    return errors


def _spans(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def labels_name_keys(labels: object) -> set[NameKey]:
    """The schema names one stored annotation (or gold) uses. Tolerates any shape."""
    if not isinstance(labels, dict):
        return set()
    keys: set[NameKey] = set()
    for entity in _spans(labels.get("entities")):
        if isinstance(entity, dict) and isinstance(entity.get("label"), str):
            keys.add(("entity_types", "", entity["label"]))
    for item in _spans(labels.get("stance")):
        if isinstance(item, dict):
            if isinstance(item.get("target"), str):
                keys.add(("stance_targets", "", item["target"]))
            if isinstance(item.get("label"), str):
                keys.add(("stance_labels", "", item["label"]))
    for event in _spans(labels.get("events")):
        if isinstance(event, dict) and isinstance(event.get("type"), str):
            keys.add(("event_types", "", event["type"]))
            for argument in _spans(event.get("arguments")):
                if isinstance(argument, dict) and isinstance(argument.get("role"), str):
                    keys.add(("roles", event["type"], argument["role"]))
    return keys


def labels_rename(labels: dict[str, Any], renames: dict[str, Any]) -> dict[str, Any]:
    """A copy of stored labels with ``renames`` applied (shape checked by ``check_renames``).

    A merge can make two items equal: the second of two identical entities, of two stance
    items for one target, of two events with one type and trigger, and of two identical
    arguments is dropped, so the result still passes ``validate_annotation``."""
    result = copy.deepcopy(labels)
    entities, seen_entities = [], set()
    for entity in _spans(result.get("entities")):
        if isinstance(entity, dict) and isinstance(entity.get("label"), str):
            entity["label"] = _renamed(renames, "entity_types", entity["label"]) or entity["label"]
            key = (entity.get("start"), entity.get("end"), entity["label"])
            if key in seen_entities:
                continue
            seen_entities.add(key)
        entities.append(entity)
    stance, seen_targets = [], set()
    for item in _spans(result.get("stance")):
        if isinstance(item, dict):
            for field, kind in (("target", "stance_targets"), ("label", "stance_labels")):
                if isinstance(item.get(field), str):
                    item[field] = _renamed(renames, kind, item[field]) or item[field]
            if isinstance(item.get("target"), str):
                if item["target"] in seen_targets:
                    continue
                seen_targets.add(item["target"])
        stance.append(item)
    events, seen_events = [], set()
    for event in _spans(result.get("events")):
        if isinstance(event, dict) and isinstance(event.get("type"), str):
            old_type = event["type"]
            event["type"] = _renamed(renames, "event_types", old_type) or old_type
            arguments, seen_arguments = [], set()
            for argument in _spans(event.get("arguments")):
                if isinstance(argument, dict) and isinstance(argument.get("role"), str):
                    argument["role"] = _renamed(renames, "roles", argument["role"], old_type) or argument["role"]
                    key = (argument["role"], argument.get("start"), argument.get("end"))
                    if key in seen_arguments:
                        continue
                    seen_arguments.add(key)
                arguments.append(argument)
            if isinstance(event.get("arguments"), list):
                event["arguments"] = arguments
            trigger = event.get("trigger") if isinstance(event.get("trigger"), dict) else {}
            assert isinstance(trigger, dict)
            event_key = (event["type"], trigger.get("start"), trigger.get("end"))
            if event_key in seen_events:
                continue
            seen_events.add(event_key)
        events.append(event)
    for section, items in (("entities", entities), ("stance", stance), ("events", events)):
        if section in result:
            result[section] = items
    return result


def schema_impact(
    removed: list[NameKey], usage: dict[NameKey, tuple[int, int]], renames: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What a schema change does to stored work: each removed name with how many
    annotations and gold decisions use it and what it is renamed to (``None``: orphaned);
    ``unresolved`` counts the removed names in use with no rename."""
    renames = renames or {}
    items = []
    unresolved = 0
    for kind, event_type, name in removed:
        annotations, gold = usage.get((kind, event_type, name), (0, 0))
        renamed_to = _renamed(renames, kind, name, event_type)
        item: dict[str, Any] = {"kind": kind, "name": name, "annotations": annotations, "gold": gold,
                                "renamed_to": renamed_to}
        if kind == "roles":
            item["event_type"] = event_type
        if (annotations or gold) and renamed_to is None:
            unresolved += 1
        items.append(item)
    return {"removed": items, "unresolved": unresolved}
