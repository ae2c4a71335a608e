"""brat standoff (pure): ``.txt`` + ``.ann`` per document, one folder per annotator.

Layout: ``<annotator>/<document>.txt`` and ``.ann`` (deeper folders are part of the document
name); files at the top level belong to ``ReadOptions.as_user`` or the folder's own name.
The same document (by name) must have the same ``.txt`` for every annotator.

Offsets are code points of the ``.txt`` as it is (a CRLF is two characters, as brat counts).
``T`` lines are entities, checked against the text (a line past the text, or whose text
column differs, is an error: the file does not fit its text). A discontinuous ``T``
(``0 5;9 14``) is a misfit and not imported, unless only line breaks separate its
fragments (how brat, and our export, write a span that spans a line). ``E`` lines are events:
the trigger's ``T`` is not an entity, arguments point at ``T`` lines (a ``T`` of type
``Argument``, as our export writes, is not an entity either); roles numbered by brat
(``Artifact2``) lose the number when ``annotation.conf`` (or the event itself) knows the
role without it. ``A``/``M``, ``R``, ``N`` and ``*`` lines are noted and not imported; ``#``
lines are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..sources import Member
from ..types import AnnotationIn, ArgumentIn, DocumentIn, EventIn, ReadOptions, ReadResult, SpanIn, Where
from ._common import text_of

NAME = "brat"
ARGUMENT_TYPE = "Argument"
_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")
_BREAKS = re.compile("^[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029 \t]*$")
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


@dataclass(slots=True)
class _T:
    label: str
    start: int
    end: int
    line: int


def conf_roles(text: str) -> set[str]:
    """Argument role names of the ``[events]`` section of an ``annotation.conf``."""
    roles: set[str] = set()
    section = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section != "events" or not line:
            continue
        parts = line.split(None, 1)
        if len(parts) == 2:
            for arg in parts[1].split(","):
                role = arg.split(":", 1)[0].strip().rstrip("*?+{}0123456789,-")
                if role:
                    roles.add(role)
    return roles


def _annotator_and_document(name: str, default: str) -> tuple[str, str]:
    parts = PurePosixPath(name).with_suffix("").parts
    return (default, parts[0]) if len(parts) == 1 else (parts[0], "/".join(parts[1:]))


def read(members: list[Member], options: ReadOptions) -> ReadResult:
    result = ReadResult(NAME)
    default = options.as_user or PurePosixPath(options.source_name).stem or "brat"
    roles: set[str] = set()
    texts: dict[tuple[str, str], tuple[str, str]] = {}  # (annotator, document) -> (file, text)
    anns: dict[tuple[str, str], tuple[str, bytes]] = {}
    for name, data in members:
        low = name.lower()
        if PurePosixPath(name).name == "annotation.conf":
            conf = text_of(result, name, data)
            roles |= conf_roles(conf or "")
        elif low.endswith(".txt"):
            text = text_of(result, name, data)
            if text is not None:
                texts[_annotator_and_document(name, default)] = (name, text)
        elif low.endswith(".ann"):
            anns[_annotator_and_document(name, default)] = (name, data)
        elif not PurePosixPath(name).name.endswith((".conf", ".json")):
            result.add(Where(name), "ignored: not a .txt, .ann or annotation.conf file", "note")
    if not texts:
        result.add(Where(options.source_name or "(input)"), "no .txt file to read")
    documents: dict[str, DocumentIn] = {}
    for (annotator, key), (name, text) in sorted(texts.items()):
        document = documents.get(key)
        if document is None:
            document = documents[key] = DocumentIn(key=key, title=key, text=text, where=Where(name))
        elif document.text != text:
            result.add(Where(name), f"the text differs from {document.where.file}: the same document must have the same text")
            continue
        if (annotator, key) in anns:
            ann_name, data = anns.pop((annotator, key))
            ann = _read_ann(result, ann_name, data, text, annotator, roles)
            if ann is not None:
                document.annotations.append(ann)
    for (_, key), (name, _) in sorted(anns.items()):
        result.add(Where(name), f"no .txt beside this .ann (document {key!r})")
    result.documents = list(documents.values())
    return result


def _read_ann(result: ReadResult, name: str, data: bytes, text: str, annotator: str, roles: set[str]) -> AnnotationIn | None:
    content = text_of(result, name, data)
    if content is None:
        return None
    ts: dict[str, _T] = {}
    events: list[tuple[int, str, str, list[tuple[str, str]]]] = []
    errors_before = len(result.errors)
    # split on \n only: a .ann line's text column may hold other line separators
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.rstrip("\r")
        where = Where(name, number)
        if not line.strip() or line.startswith("#"):
            continue
        ident, _, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            body, _, claimed = rest.partition("\t")
            label, _, offsets = body.partition(" ")
            if not label or not _OFFSETS.match(offsets):
                result.add(where, f"a T line is 'T<n>\\tTYPE START END\\tTEXT', not {line[:80]!r}")
                continue
            frags = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
            bad = [f for f in frags if not 0 <= f[0] < f[1] <= len(text)]
            if bad:
                result.add(where, f"{ident} offsets {bad[0][0]} {bad[0][1]} point past the text ({len(text)} characters)")
                continue
            got = " ".join(text[a:b] for a, b in frags)
            if got != claimed:
                result.add(where, f"{ident} offsets give {got!r}, not its text {claimed!r}")
                continue
            if len(frags) > 1 and not all(_BREAKS.match(text[frags[i][1] : frags[i + 1][0]]) for i in range(len(frags) - 1)):
                result.add(where, f"{ident} is a discontinuous span ({offsets}); not imported (which part is the entity cannot be told)", "misfit")
                continue
            ts[ident] = _T(label, frags[0][0], frags[-1][1], number)
        elif kind == "E":
            parts = rest.split()
            if not parts or ":" not in parts[0]:
                result.add(where, f"an E line is 'E<n>\\tTYPE:T<n> ROLE:T<n> ...', not {line[:80]!r}")
                continue
            event_type, _, trigger = parts[0].partition(":")
            if not all(":" in p for p in parts[1:]):
                result.add(where, f"an E argument is 'ROLE:ID', not in {line[:80]!r}")
                continue
            arguments = [(p.split(":", 1)[0], p.split(":", 1)[1]) for p in parts[1:]]
            events.append((number, event_type, trigger, arguments))
        elif kind in "AMRN*":
            result.add(where, f"{ident[:1]} lines (attributes, relations, normalisations) are not imported", "note")
        else:
            result.add(where, f"unknown line type {ident!r}")
    if len(result.errors) > errors_before:
        return None
    ann = AnnotationIn(annotator=annotator, where=Where(name), covered=None)
    not_entities: set[str] = set()
    for number, event_type, trigger, arguments in events:
        where = Where(name, number)
        if trigger not in ts:
            reason = "an event" if trigger.startswith("E") else "no T line"
            result.add(where, f"the trigger {trigger} is {reason}; the event is not imported", "misfit")
            continue
        not_entities.add(trigger)
        named = {r for r, _ in arguments}
        args: list[ArgumentIn] = []
        for role, ref in arguments:
            if ref not in ts:
                result.add(where, f"the argument {role}:{ref} is not a T line (nested events are not imported)", "misfit")
                continue
            if ts[ref].label == ARGUMENT_TYPE:
                not_entities.add(ref)
            args.append(ArgumentIn(_role(role, named, roles), ts[ref].start, ts[ref].end))
        t = ts[trigger]
        ann.events.append(EventIn(event_type, t.start, t.end, args, where))
    for ident, t in ts.items():
        if ident not in not_entities:
            ann.entities.append(SpanIn(t.start, t.end, t.label, Where(name, t.line, ident)))
    return ann


def _role(role: str, named: set[str], roles: set[str]) -> str:
    """``Artifact2`` → ``Artifact`` when the conf or the event knows ``Artifact``."""
    m = _NUMBERED.match(role)
    if m and m.group(1) and (m.group(1) in roles or m.group(1) in named) and role not in roles:
        return m.group(1)
    return role
