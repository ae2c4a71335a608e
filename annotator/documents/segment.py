"""Sentence and token segmentation with spaCy (pure: no Django).

A blank English pipeline with the rule-based ``sentencizer``: no model download, and
spaCy's tokenizer exceptions keep abbreviations such as "U.S." in one token, so they
never end a sentence. A line break also ends a sentence, because in a news article it
ends a paragraph, or a title or caption that has no final full stop.

Offsets are Python string indices (Unicode code points), 0-based and end-exclusive:
``text[s.start:s.end] == s.text``. Token offsets are relative to the sentence.
No sentence starts or ends with whitespace; whitespace-only tokens are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IDX, IS_LEFT_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

LINE_BREAKS = ("\n", "\u2028", "\u2029")


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    index: int
    start: int
    end: int
    text: str
    token_array: np.ndarray  # shape (n, 2): [start, end] relative to the sentence

    @property
    def tokens(self) -> list[list[int]]:
        """[[start, end], ...] relative to the sentence (as stored)."""
        return self.token_array.tolist()


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def tokenizer_version() -> str:
    """What the dataset card names as the tokenizer."""
    return f"spaCy {spacy.__version__} blank('en') + sentencizer"


def sentences_of(doc: Doc, text: str | None = None) -> list[SentenceSpan]:
    """The sentences of one Doc (``text``: the string it was made from, if at hand —
    ``doc.text`` rebuilds it token by token, which costs more than all the rest).

    Works on spaCy's attribute arrays with numpy rather than creating a Token object
    per word, which would otherwise be most of the cost of a bulk import.
    """
    if not len(doc):
        return []
    table = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START, IS_LEFT_PUNCT]).astype(np.int64)
    idx, length, space, sent_start, left_punct = table.T
    text = doc.text if text is None else text
    starts_sentence = sent_start == 1
    starts_sentence[0] = True
    for i in np.flatnonzero(space).tolist():
        if i + 1 < len(idx) and any(b in text[idx[i] : idx[i] + length[i]] for b in LINE_BREAKS):
            starts_sentence[i + 1] = True
    # The sentencizer leaves an opening bracket or quote at the end of the sentence before
    # ("… in 2024. (Photo …)" would end with "("): move it to the sentence it opens.
    for start in np.flatnonzero(starts_sentence[1:]).tolist():
        i = start + 1
        while i > 1 and left_punct[i - 1] and not starts_sentence[i - 1] and not space[i - 1]:
            starts_sentence[i], starts_sentence[i - 1] = False, True
            i -= 1
    keep = space == 0
    sentence_of = np.cumsum(starts_sentence)[keep]
    if not len(sentence_of):
        return []
    word_start = idx[keep]
    word_end = word_start + length[keep]
    _, first = np.unique(sentence_of, return_index=True)
    last = np.append(first[1:], len(sentence_of)) - 1
    char_start = word_start[first]
    char_end = word_end[last]
    # Token offsets relative to their sentence, for all sentences at once.
    owner = np.repeat(np.arange(len(first)), np.diff(np.append(first, len(sentence_of))))
    relative = np.stack([word_start - char_start[owner], word_end - char_start[owner]], axis=1)
    bounds = np.append(first, len(sentence_of)).tolist()
    char_start_list, char_end_list = char_start.tolist(), char_end.tolist()
    return [
        SentenceSpan(
            index=n,
            start=char_start_list[n],
            end=char_end_list[n],
            text=text[char_start_list[n] : char_end_list[n]],
            token_array=relative[bounds[n] : bounds[n + 1]],
        )
        for n in range(len(first))
    ]


def segment_texts(texts: Iterable[str], batch_size: int = 256) -> Iterator[list[SentenceSpan]]:
    """Segment many documents in one ``nlp.pipe`` stream; yields one list per text."""
    texts = texts if isinstance(texts, list) else list(texts)
    for text, doc in zip(texts, get_pipeline().pipe(texts, batch_size=batch_size), strict=True):
        yield sentences_of(doc, text)


def segment_text(text: str) -> list[SentenceSpan]:
    """Sentences of one document, with token offsets; see the module docstring."""
    return sentences_of(get_pipeline()(text), text)
