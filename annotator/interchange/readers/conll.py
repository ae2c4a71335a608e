"""CoNLL-2003 style files (pure), one file per annotator.

One token a line, the token in the first column and its tag in the last (other columns are
ignored), a blank line between sentences, ``-DOCSTART-`` before each document (a file
without one is one document). Tags: ``O``, ``B-X``, ``I-X`` (IOB2, and IOB1 where ``I-``
after ``O`` or another type starts an entity: both are read, and IOB1 use is noted), and
``E-X``/``S-X`` (IOBES).

The text is rebuilt: tokens joined by a space, sentences by a line break; entity offsets
are code points in that text. Documents are matched across annotators by position and
must have the same tokens. The annotator is the file name without its extension, or
``ReadOptions.as_user`` for a single file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sources import Member
from ..types import AnnotationIn, DocumentIn, ReadOptions, ReadResult, SpanIn, Where
from ._common import stem, text_of

NAME = "conll"


@dataclass(slots=True)
class _Doc:
    line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=list)  # (token, tag, line)


def _documents(result: ReadResult, name: str, text: str) -> list[_Doc]:
    docs: list[_Doc] = []
    sentence: list[tuple[str, str, int]] = []

    def close() -> None:
        nonlocal sentence
        if sentence:
            if not docs:
                docs.append(_Doc(sentence[0][2]))
            docs[-1].sentences.append(sentence)
        sentence = []

    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split()
        if not parts:
            close()
            continue
        if parts[0] == "-DOCSTART-":
            close()
            docs.append(_Doc(number))
            continue
        if len(parts) < 2:
            result.add(Where(name, number), f"a token line needs a token and a tag, not {raw[:80]!r}")
            continue
        sentence.append((parts[0], parts[-1], number))
    close()
    return [d for d in docs if d.sentences]


def _spans(result: ReadResult, name: str, doc: _Doc) -> tuple[str, list[SpanIn], int]:
    """The document's text, its entities, and how many IOB1-style starts it has."""
    pieces: list[str] = []
    spans: list[SpanIn] = []
    iob1 = 0
    pos = 0
    for s, sentence in enumerate(doc.sentences):
        if s:
            pieces.append("\n")
            pos += 1
        open_: tuple[int, str, int] | None = None  # (start, label, line)
        prev_end = pos

        def finish(end: int) -> None:
            nonlocal open_
            if open_ is not None:
                spans.append(SpanIn(open_[0], end, open_[1], Where(name, open_[2])))
            open_ = None

        for t, (token, tag, line) in enumerate(sentence):
            if t:
                pieces.append(" ")
                pos += 1
            start, end = pos, pos + len(token)
            pieces.append(token)
            pos = end
            prefix, _, label = tag.partition("-")
            if tag == "O":
                finish(prev_end)
            elif prefix in ("B", "S") and label:
                finish(prev_end)
                open_ = (start, label, line)
            elif prefix in ("I", "E") and label:
                if open_ is None or open_[1] != label:
                    finish(prev_end)
                    iob1 += 1
                    open_ = (start, label, line)
            else:
                result.add(Where(name, line), f"unknown tag {tag!r} (expected O, B-X, I-X, E-X or S-X)")
                finish(prev_end)
            if prefix in ("E", "S") and label:
                finish(end)
            prev_end = end
        finish(prev_end)
    return "".join(pieces), spans, iob1


def read(members: list[Member], options: ReadOptions) -> ReadResult:
    result = ReadResult(NAME)
    documents: list[DocumentIn] = []
    tokens_of: list[list[list[str]]] = []
    if not members:
        result.add(Where(options.source_name or "(input)"), "no file to read")
    for name, data in members:
        content = text_of(result, name, data)
        if content is None:
            continue
        annotator = options.as_user if options.as_user and len(members) == 1 else stem(name)
        docs = _documents(result, name, content)
        if documents and len(docs) != len(documents):
            result.add(Where(name), f"{len(docs)} documents, but {documents[0].where.file} has {len(documents)}")
            continue
        iob1 = 0
        for n, doc in enumerate(docs):
            text, spans, starts = _spans(result, name, doc)
            iob1 += starts
            tokens = [[t for t, _, _ in s] for s in doc.sentences]
            if n < len(documents):
                if tokens != tokens_of[n]:
                    result.add(Where(name, doc.line), f"document {n + 1} has other tokens than in {documents[n].where.file}")
                    continue
            else:
                documents.append(DocumentIn(key=f"document-{n + 1}", title=" ".join(tokens[0][:12])[:200], text=text, where=Where(name, doc.line)))
                tokens_of.append(tokens)
            documents[n].annotations.append(AnnotationIn(annotator=annotator, where=Where(name, doc.line), entities=spans))
        if iob1:
            result.add(Where(name), f"{iob1} entities start with I- (IOB1 tagging); read as entity starts", "note")
    result.documents = documents
    return result
