"""Sentence and token segmentation with spaCy (pure: no Django).

A blank English pipeline with the rule-based ``sentencizer``: no model download, and
spaCy's tokenizer exceptions keep abbreviations such as "U.S." in one token, so they
never end a sentence. Text is segmented line by line, because a line break in a news
article ends a paragraph (or a title or caption that has no final full stop).

Offsets are Python string indices (Unicode code points), 0-based and end-exclusive:
``text[s.start:s.end] == s.text``. Token offsets are relative to the sentence.
No sentence starts or ends with whitespace; whitespace-only tokens are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

# A line is a run of characters other than line breaks (\r stays inside a line and is
# stripped as whitespace, so Windows line endings need no rewriting of the text).
_LINE = re.compile(r"[^\n\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    index: int
    start: int
    end: int
    text: str
    tokens: list[list[int]]  # [[start, end], ...] relative to the sentence


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def tokenizer_version() -> str:
    """What the dataset card names as the tokenizer."""
    return f"spaCy {spacy.__version__} blank('en') + sentencizer"


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for match in _LINE.finditer(text):
        if not match.group().isspace():
            yield match.start(), match.group()


def segment_texts(texts: Iterable[str], batch_size: int = 256) -> Iterator[list[SentenceSpan]]:
    """Segment many documents; yields one list of sentences per input text, in order.

    All lines of all texts go through one ``nlp.pipe`` stream, which is what makes bulk
    import fast; the per-document grouping is restored from line ownership.
    """
    nlp = get_pipeline()
    texts = list(texts) if not isinstance(texts, list) else texts
    owners: list[tuple[int, int]] = []  # (document number, line offset)
    lines: list[str] = []
    for number, text in enumerate(texts):
        for offset, line in _lines(text):
            owners.append((number, offset))
            lines.append(line)
    results: list[list[SentenceSpan]] = [[] for _ in texts]
    for (number, offset), doc in zip(owners, nlp.pipe(lines, batch_size=batch_size), strict=True):
        sentences = results[number]
        for sent in doc.sents:
            words = [t for t in sent if not t.is_space]
            if not words:
                continue
            start = words[0].idx
            end = words[-1].idx + len(words[-1].text)
            sentences.append(
                SentenceSpan(
                    index=len(sentences),
                    start=offset + start,
                    end=offset + end,
                    text=doc.text[start:end],
                    tokens=[[t.idx - start, t.idx - start + len(t.text)] for t in words],
                )
            )
    yield from results


def segment_text(text: str) -> list[SentenceSpan]:
    """Sentences of one document, with token offsets; see the module docstring."""
    return next(segment_texts([text]))
