"""Sentence and token segmentation with spaCy (pure: no Django).

A blank English pipeline with the rule-based ``sentencizer``: no model download, and
spaCy's tokenizer exceptions keep abbreviations such as "U.S." in one token, so they
never end a sentence. A line break also ends a sentence, because in a news article it
ends a paragraph, or a title or caption that has no final full stop.

Offsets are Python string indices (Unicode code points), 0-based and end-exclusive:
``text[s.start:s.end] == s.text``. Token offsets are relative to the sentence.
No sentence starts or ends with whitespace; whitespace-only tokens are dropped.
A token never splits a grapheme cluster (an emoji ZWJ sequence, a flag, a letter with
its combining marks): where spaCy cuts inside one, the pieces are merged.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # spaCy is imported by the first segmentation, not by the web process (issue 12)
    from spacy.language import Language
    from spacy.tokens import Doc

LINE_BREAKS = ("\n", "\u2028", "\u2029")


@dataclass(slots=True)  # not frozen: a frozen dataclass is twice as slow to build
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
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def tokenizer_version() -> str:
    """What the dataset card names as the tokenizer."""
    from importlib.metadata import version

    return f"spaCy {version('spacy')} blank('en') + sentencizer"


@lru_cache(maxsize=1)
def _attrs() -> list[int | str]:
    from spacy.attrs import IDX, IS_LEFT_PUNCT, IS_SPACE, LENGTH, ORTH, SENT_START

    return [IDX, LENGTH, IS_SPACE, SENT_START, IS_LEFT_PUNCT, ORTH]


def sentences_of(doc: Doc, text: str | None = None) -> list[SentenceSpan]:
    """The sentences of one Doc (``text``: the string it was made from, if at hand)."""
    return _sentences_of_batch([doc], [doc.text if text is None else text])[0]


def _sentences_of_batch(docs: Sequence[Doc], texts: Sequence[str]) -> list[list[SentenceSpan]]:
    """The sentences of many Docs at once (one list per Doc).

    Works on spaCy's attribute arrays of the whole batch with numpy, rather than
    creating a Token object per word or calling numpy per document, which would
    otherwise be most of the cost of a bulk import. ``texts`` are the strings the Docs
    were made from (``doc.text`` rebuilds them token by token, which costs more).
    """
    lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
    if not lengths.sum():
        return [[] for _ in docs]
    table = np.concatenate([doc.to_array(_attrs()) for doc in docs if len(doc)])
    idx, length = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    space, left_punct = table[:, 2] == 1, table[:, 4] == 1
    sent_start, orth = table[:, 3].astype(np.int64), table[:, 5]
    doc_first = np.zeros(len(idx), dtype=bool)
    doc_first[(np.cumsum(lengths) - lengths)[lengths > 0]] = True

    starts = (sent_start == 1) | doc_first
    # A line break ends a sentence (a paragraph, or a title with no full stop).
    after_break = np.flatnonzero(space & np.isin(orth, _line_break_orths(docs[0], orth[space]))) + 1
    starts[after_break[after_break < len(idx)]] = True
    # The sentencizer leaves an opening bracket or quote at the end of the sentence before
    # ("… in 2024. (Photo …)" would end with "("): move it to the sentence it opens.
    while True:
        at = np.flatnonzero(starts & ~doc_first)
        at = at[left_punct[at - 1] & ~starts[at - 1] & ~space[at - 1]]
        if not len(at):
            break
        starts[at], starts[at - 1] = False, True

    keep = ~space
    sentence_of = np.cumsum(starts)[keep]
    if not len(sentence_of):
        return [[] for _ in docs]
    doc_of = np.repeat(np.arange(len(docs)), lengths)[keep]
    word_start = idx[keep]
    word_end = word_start + length[keep]
    first = np.flatnonzero(np.diff(sentence_of, prepend=-1))
    bounds = np.append(first, len(sentence_of))
    char_start = word_start[first]
    char_end = word_end[bounds[1:] - 1]
    # Token offsets relative to their sentence, for all sentences at once.
    owner = np.repeat(np.arange(len(first)), np.diff(bounds))
    relative = np.stack([word_start - char_start[owner], word_end - char_start[owner]], axis=1)
    sentence_doc = doc_of[first]
    per_doc = np.bincount(sentence_doc, minlength=len(docs))
    index = np.arange(len(first)) - np.repeat(np.cumsum(per_doc) - per_doc, per_doc)

    out: list[list[SentenceSpan]] = [[] for _ in docs]
    rows = zip(sentence_doc.tolist(), index.tolist(), char_start.tolist(), char_end.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    for d, n, start, end, lo, hi in rows:
        text = texts[d][start:end]
        out[d].append(SentenceSpan(index=n, start=start, end=end, text=text, token_array=_whole_graphemes(text, relative[lo:hi])))
    return out


ZWJ = "\u200d"


def _is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _inside_cluster(text: str, i: int) -> bool:
    """Whether ``text[i-1]`` and ``text[i]`` belong to one grapheme cluster (the rules of
    UAX #29 that tokenizers break: extend/ZWJ, emoji ZWJ sequences, flag pairs)."""
    before, ch = text[i - 1], text[i]
    if ch == ZWJ or unicodedata.category(ch) in ("Mn", "Mc", "Me"):
        return True
    if "\ufe00" <= ch <= "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff" or "\U000e0020" <= ch <= "\U000e007f":
        return True
    if before == ZWJ and ord(ch) >= 0x2600:  # ZWJ + pictograph: 👩‍👩‍👧
        return True
    if _is_regional_indicator(before) and _is_regional_indicator(ch):
        run = 0
        while i - 1 - run >= 0 and _is_regional_indicator(text[i - 1 - run]):
            run += 1
        return run % 2 == 1  # 🇺🇦🇷🇺: pairs from the left
    return False


def _whole_graphemes(text: str, tokens: np.ndarray) -> np.ndarray:
    """``tokens`` with the pieces of a split grapheme cluster merged (ASCII: unchanged)."""
    if text.isascii() or len(tokens) < 2:
        return tokens
    touching = np.flatnonzero(tokens[1:, 0] == tokens[:-1, 1])
    glue = [k + 1 for k in touching.tolist() if _inside_cluster(text, int(tokens[k + 1, 0]))]
    if not glue:
        return tokens
    first = np.ones(len(tokens), dtype=bool)
    first[glue] = False
    heads = np.flatnonzero(first)
    return np.stack([tokens[heads, 0], np.maximum.reduceat(tokens[:, 1], heads)], axis=1)


def _line_break_orths(doc: Doc, space_orths: np.ndarray) -> np.ndarray:
    """Which of these whitespace tokens (by ORTH hash) hold a line break."""
    strings = doc.vocab.strings
    unique = np.unique(space_orths)
    return unique[[any(b in strings[int(h)] for b in LINE_BREAKS) for h in unique.tolist()]]


def segment_batches(texts: Sequence[str], batch_size: int = 64) -> Iterator[list[list[SentenceSpan]]]:
    """Segment many documents in one ``nlp.pipe`` stream; yields, per batch of
    ``batch_size`` texts, one list of sentences per text."""
    docs = get_pipeline().pipe(texts, batch_size=batch_size)
    for lo in range(0, len(texts), batch_size):
        batch = texts[lo : lo + batch_size]
        yield _sentences_of_batch([next(docs) for _ in batch], batch)


def segment_texts(texts: Iterable[str], batch_size: int = 64) -> Iterator[list[SentenceSpan]]:
    """Like ``segment_batches``, one list of sentences per text."""
    for batch in segment_batches(texts if isinstance(texts, list) else list(texts), batch_size):
        yield from batch


def segment_text(text: str) -> list[SentenceSpan]:
    """Sentences of one document, with token offsets; see the module docstring."""
    return sentences_of(get_pipeline()(text), text)
