"""Building the agreement report from plain data: pure Python + numpy, no Django.

The report is assembled from one *section* per layer (stance, events, entities). Each section is
computed by an accumulator that is fed one sentence at a time, in any sentence order, with every
annotator's labels of that layer for that sentence, so that a caller can stream annotations from
a database without holding them all in memory:

    acc = EntityAccumulator()
    for sentence_id, {annotator_index: entities_list} in rows: acc.add(sentence_id, per_annotator)
    part = acc.finish(annotators)      # -> LayerPart (JSON-able dict)

Accumulators hold *mergeable* statistics only (integer counts: unit label patterns, per-pair
confusion counts, span match counts), never per-unit matrices. So a project can be split into
chunks of sentences: each chunk's accumulator returns ``acc.partial()`` (small JSON), and an
accumulator that ``merge()``s every chunk's partial, in sentence order, finishes with exactly
the numbers one pass over all sentences gives -- including the seeded bootstrap intervals,
which resample the distinct unit patterns with their counts (equivalent to resampling units).
The per-sentence dispute scores are the one per-sentence output: each chunk keeps its top
``DISPUTED_LIMIT`` (``disputed``) and ``disputed_merge`` picks the global top from those.

``assemble_report`` then joins the parts with per-annotator figures and the most-disputed
sentences. Every number comes from the library in this package (``krippendorff`` conventions,
one-to-one span matching, ...); only the per-sentence dispute scores are computed here.

JSON cannot hold NaN: an undefined value is ``None`` with a sibling ``"<key>_note"`` saying why
(never a made-up 0 or 1). ``clean_json`` is the last line of defence for anything left over.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

from annotator.agreement.alpha import alpha_from_counts, bootstrap_from_counts, level_distance
from annotator.agreement.events import EventPartCounts, EventRows
from annotator.agreement.kappa import fleiss_kappa_with_note, kappa_from_confusion
from annotator.agreement.sets import masi_distance
from annotator.agreement.spans import SpanScores, matched_count
from annotator.agreement.unitizing import UnitizingStats

N_BOOT = 1000
SEED = 0
DISPUTED_LIMIT = 25
# The set-alpha bootstrap holds a V x V coincidence matrix per distinct unit pattern: bounded.
MAX_BOOTSTRAP_SETS = 40
NONE_LABEL = "∅"  # "this annotator marked nothing here" in confusion matrices

# What counts as good, with the source; the dashboard prints these beside the numbers.
READINGS = {
    "alpha": "Krippendorff (2004): α ≥ .800 reliable; .667 ≤ α < .800 only for tentative conclusions; below, unreliable.",
    "kappa": "Landis & Koch (1977): κ > .80 almost perfect, .61–.80 substantial, .41–.60 moderate, .21–.40 fair, ≤ .20 slight.",
    "f1": "Span F1 between annotators (Hripcsak & Rothschild 2005): comparable to a model's F1 against gold; ≥ .80 is the usual bar for NER data.",
    "percent": "Raw agreement is not chance-corrected: read it beside α and κ, never alone.",
}


class LayerPart(TypedDict):
    """What one layer task hands to the assembly step (JSON-able)."""

    layer: str
    section: dict[str, Any]
    disagreement: dict[str, float]  # sentence id (as text: JSON keys) -> 0..1
    pairs: dict[str, float | None]  # "i|j" annotator indexes -> the pair's headline agreement
    confusion: dict[str, Any]


def fnum(value: float | None) -> float | None:
    """A float for JSON: None for NaN/inf, rounded to 6 decimals for stable diffs."""
    if value is None:
        return None
    value = float(value)
    return round(value, 6) if math.isfinite(value) else None


def put(out: dict[str, Any], key: str, value: float | None, note: str | None = None) -> None:
    """``out[key] = value``; an undefined value becomes None with ``out[key + "_note"]``."""
    number = fnum(value)
    out[key] = number
    if number is None:
        out[f"{key}_note"] = note or "undefined"


def clean_json(value: Any) -> Any:
    """Recursively replace NaN/inf floats with None (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v) for v in value]
    if isinstance(value, np.generic):
        return clean_json(value.item())
    return value


def _pair_key(i: int, j: int) -> str:
    return f"{i}|{j}"


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None and math.isfinite(v)]
    return sum(kept) / len(kept) if kept else None


def _matrix_payload(matrix: npt.NDArray[np.int64], labels: Sequence[str]) -> dict[str, Any]:
    return {"labels": list(labels), "matrix": matrix.astype(int).tolist()}


# -- stance -------------------------------------------------------------------------------------

# A unit's label pattern: its (label, count) pairs in label order, e.g. (("favor", 2), ("none", 1)).
Pattern = tuple[tuple[str, int], ...]


class StanceAccumulator:
    """Stance labels per target, kept as mergeable statistics rather than a coders x units matrix.

    ``add(sentence_id, {annotator: [{"target", "label"}, ...]})``. A target an annotator left
    unlabelled in a sentence is missing for that annotator, not a category. Per target it keeps:

    - how many units show each label *pattern* (which labels, how often): alpha, its bootstrap,
      Fleiss' kappa and percent agreement depend on the units only through these (resampling
      units is multinomial resampling of the distinct patterns with their counts);
    - per annotator pair (i < j), how often i said x while j said y: pairwise Cohen kappa and
      the confusion matrix.

    Both are integer counts, so ``partial()`` of disjoint sets of sentences ``merge()`` into
    exactly the statistics of their union (in any order), and ``finish`` gives the same numbers.
    """

    layer = "stance"

    def __init__(self, targets: Sequence[str], labels: Sequence[str], n_annotators: int) -> None:
        self.targets = list(targets)
        self.labels = list(labels)
        self.n = n_annotators
        self.patterns: dict[str, Counter[Pattern]] = defaultdict(Counter)
        self.pairs: dict[str, Counter[tuple[int, int, str, str]]] = defaultdict(Counter)
        self.disagreement: dict[str, float] = {}

    def add(self, sentence_id: int, per_annotator: Mapping[int, Sequence[Mapping[str, Any]] | None]) -> None:
        by_target: dict[str, dict[int, str]] = {}
        for annotator, stance in per_annotator.items():
            for item in stance or ():
                by_target.setdefault(item["target"], {})[annotator] = item["label"]
        worst: float | None = None
        for target, given in by_target.items():
            counts = Counter(given.values())
            self.patterns[target][tuple(sorted(counts.items()))] += 1
            coders = sorted(given)
            pairs = self.pairs[target]
            for i, j in combinations(coders, 2):
                pairs[(i, j, given[i], given[j])] += 1
            m = len(given)
            if m >= 2:
                # 1 - the share of agreeing coder pairs; the sentence's score is its worst target
                agree = sum(c * (c - 1) for c in counts.values()) / (m * (m - 1))
                if agree < 1:
                    worst = max(worst or 0.0, 1.0 - agree)
        if worst is not None:
            self.disagreement[str(sentence_id)] = worst

    def partial(self) -> dict[str, Any]:
        """The statistics as JSON (lists only, string keys): what a chunk task returns."""
        return {
            target: {
                "patterns": [[[list(pair) for pair in key], n] for key, n in self.patterns[target].items()],
                "pairs": [[i, j, x, y, n] for (i, j, x, y), n in self.pairs[target].items()],
            }
            for target in self.patterns
        }

    def merge(self, partial: Mapping[str, Any]) -> None:
        """Add another accumulator's ``partial()`` (of other sentences) into this one."""
        for target, stats in partial.items():
            patterns, pairs = self.patterns[target], self.pairs[target]
            for key, n in stats["patterns"]:
                patterns[tuple((str(label), int(c)) for label, c in key)] += int(n)
            for i, j, x, y, n in stats["pairs"]:
                pairs[(int(i), int(j), str(x), str(y))] += int(n)

    def target_labels(self, target: str) -> list[str]:
        """The schema's labels, then any other label used for ``target`` (sorted): the codes."""
        used = {label for key in self.patterns.get(target, {}) for label, _ in key}
        return self.labels + sorted(used - set(self.labels))

    def unit_counts(self, target: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[str]]:
        """Distinct unit patterns as count rows over ``target_labels`` (sorted, so the order
        does not depend on how the sentences were split), how many units show each, the labels."""
        labels = self.target_labels(target)
        code = {label: k for k, label in enumerate(labels)}
        keys = sorted(self.patterns.get(target, {}))
        rows = np.zeros((len(keys), len(labels)))
        for r, key in enumerate(keys):
            for label, c in key:
                rows[r, code[label]] = c
        freq = np.array([self.patterns[target][key] for key in keys], dtype=np.int64)
        return rows, freq, labels

    def pair_confusion(self, target: str, labels: Sequence[str]) -> dict[tuple[int, int], npt.NDArray[np.int64]]:
        """(i, j) -> confusion matrix over ``labels`` (rows: annotator i), for every pair."""
        code = {label: k for k, label in enumerate(labels)}
        out = {pair: np.zeros((len(labels), len(labels)), dtype=np.int64)
               for pair in combinations(range(self.n), 2)}
        for (i, j, x, y), n in self.pairs.get(target, {}).items():
            out.setdefault((i, j), np.zeros((len(labels), len(labels)), dtype=np.int64))[code[x], code[y]] += n
        return out

    def finish(self, annotators: Sequence[str]) -> LayerPart:
        section: dict[str, Any] = {}
        pair_values: dict[str, list[float]] = defaultdict(list)
        confusion: dict[str, Any] = {}
        targets = self.targets + sorted(set(self.patterns) - set(self.targets))
        for target in targets:
            rows, freq, labels = self.unit_counts(target)
            pairs = self.pair_confusion(target, labels)
            section[target] = out = _stance_target(rows, freq, pairs, labels, annotators)
            for key, value in out["pairwise_cohen_kappa"].items():
                i, j = (annotators.index(name) for name in key.split("|"))
                if value is not None:
                    pair_values[_pair_key(i, j)].append(value)
            if len(rows):
                total = sum(pairs.values(), np.zeros((len(labels), len(labels)), dtype=np.int64))
                confusion[target] = _matrix_payload(total + total.T, labels)
        pairs_mean = {k: _mean(v) for k, v in pair_values.items()}
        return LayerPart(layer=self.layer, section=section, disagreement=dict(self.disagreement), pairs=pairs_mean,
                         confusion=confusion)


def _expand(rows: npt.NDArray[np.float64], freq: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Units x values counts: each distinct pattern repeated as often as units show it."""
    return np.repeat(rows, freq, axis=0)


def _stance_target(
    rows: npt.NDArray[np.float64],
    freq: npt.NDArray[np.int64],
    pairs: Mapping[tuple[int, int], npt.NDArray[np.int64]],
    labels: Sequence[str],
    annotators: Sequence[str],
) -> dict[str, Any]:
    """Alpha (with a seeded bootstrap CI95), Fleiss kappa, percent agreement and pairwise Cohen
    kappa of one target, from its unit patterns (``rows`` x ``labels`` counts, ``freq`` units
    each) and its per-pair confusion matrices. Equal to the library on the coders x units
    matrix: alpha, its bootstrap and Fleiss' kappa see only per-unit value counts, and the
    bootstrap draws from the distinct patterns (sorted) whatever the order of the units."""
    out: dict[str, Any] = {}
    m = rows.sum(axis=1)
    pairable = m >= 2
    out["items"] = int(freq[pairable].sum())
    if len(rows) == 0:
        alpha_note = "nobody labelled this target"
        put(out, "alpha", None, alpha_note)
        out["alpha_ci95"] = None
        out["alpha_ci95_note"] = alpha_note
        put(out, "fleiss_kappa", None, alpha_note)
        put(out, "percent_agreement", None, alpha_note)
        out["pairwise_cohen_kappa"] = {f"{a}|{b}": None for a, b in combinations(annotators, 2)}
        out["pairwise_cohen_kappa_note"] = alpha_note
        out["label_counts"] = {}
        return out
    totals = (rows * freq[:, None]).sum(axis=0)
    used = totals > 0  # the library's value domain: the labels that occur
    counts = _expand(rows[:, used], freq)
    distance = level_distance("nominal", [label for label, u in zip(labels, used, strict=True) if u], None)
    alpha = alpha_from_counts(counts, distance)
    put(out, "alpha", alpha.value, alpha.note)
    if alpha.note is None:
        boot = bootstrap_from_counts(counts, distance, n_boot=N_BOOT, seed=SEED)
        if math.isfinite(boot.low):
            out["alpha_ci95"] = [fnum(boot.low), fnum(boot.high)]
        else:
            out["alpha_ci95"] = None
            out["alpha_ci95_note"] = boot.note or "undefined"
    else:
        out["alpha_ci95"] = None
        out["alpha_ci95_note"] = alpha.note
    sizes = {int(s) for s in m[pairable].tolist()}
    if len(sizes) == 1:
        fleiss = fleiss_kappa_with_note(_expand(rows[pairable], freq[pairable]))
        put(out, "fleiss_kappa", fleiss.value, fleiss.note)
    elif not sizes:
        put(out, "fleiss_kappa", None, "no sentence has this target labelled by two annotators")
    else:
        put(out, "fleiss_kappa", None,
            f"sentences have different numbers of annotators ({', '.join(map(str, sorted(sizes)))}); "
            "Fleiss' kappa needs the same number for every item: read alpha instead")
    if pairable.any():
        # percent_agreement_with_note's formula, per pattern: agreeing pairs / all pairs
        c, mm = rows[pairable], m[pairable]
        per_unit = np.repeat((c * (c - 1.0)).sum(axis=1) / (mm * (mm - 1.0)), freq[pairable])
        put(out, "percent_agreement", float(per_unit.mean()))
    else:
        put(out, "percent_agreement", None, "no unit has values from at least two coders")
    kappas: dict[str, float | None] = {}
    notes: dict[str, str] = {}
    for (i, j), matrix in sorted(pairs.items()):
        key = f"{annotators[i]}|{annotators[j]}"
        # keep only the labels this pair used: scikit-learn's label positions (unweighted: same value)
        keep = (matrix.sum(axis=0) + matrix.sum(axis=1)) > 0
        result = kappa_from_confusion(matrix[np.ix_(keep, keep)].astype(np.float64))
        kappas[key] = fnum(result.value)
        if result.note:
            notes[key] = result.note
    out["pairwise_cohen_kappa"] = kappas
    if notes:
        out["pairwise_cohen_kappa_note"] = notes
    out["label_counts"] = {labels[k]: int(v) for k, v in enumerate(totals) if v > 0}
    return out


# -- spans (entities, event triggers and arguments) --------------------------------------------

Span = tuple[int, int, str]


class _SpanCounts:
    """Matched / a / b sums for exact and overlap matching (micro-averaged F1)."""

    __slots__ = ("c",)

    def __init__(self) -> None:
        self.c = {"exact": [0, 0, 0], "overlap": [0, 0, 0]}

    def add(self, exact: int, overlap: int, a: int, b: int) -> None:
        self.c["exact"][0] += exact
        self.c["overlap"][0] += overlap
        for match in ("exact", "overlap"):
            self.c[match][1] += a
            self.c[match][2] += b

    def scores(self, match: str) -> SpanScores:
        return SpanScores.from_counts(*self.c[match])

    def as_list(self) -> list[int]:
        return self.c["exact"] + self.c["overlap"]

    def add_list(self, values: Sequence[int]) -> None:
        for k, match in enumerate(("exact", "overlap")):
            for x in range(3):
                self.c[match][x] += int(values[3 * k + x])


def _match_pair(a: list[Span], b: list[Span]) -> tuple[int, int]:
    """(exact, overlap) one-to-one matched counts, equal to ``matched_count`` (fast paths for
    identical lists, an empty side and duplicate-free exact matching)."""
    if a == b:  # both sorted: identical lists match completely under either rule
        return len(a), len(a)
    if not a or not b:
        return 0, 0
    sa, sb = set(a), set(b)
    if len(sa) == len(a) and len(sb) == len(b):
        exact = len(sa & sb)
    else:
        exact = sum((Counter(a) & Counter(b)).values())
    return exact, matched_count(a, b, "overlap")


def _by_label(spans: list[Span]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for span in spans:
        out.setdefault(span[2], []).append(span)
    return out


def _f1_entry(out: dict[str, Any], key: str, scores: SpanScores) -> None:
    put(out, key, scores.f1, scores.note)


def _scores_dict(scores: SpanScores) -> dict[str, Any]:
    out: dict[str, Any] = {}
    put(out, "f1", scores.f1, scores.note)
    put(out, "precision", scores.precision, scores.note)
    put(out, "recall", scores.recall, scores.note)
    out.update(matched=scores.matched, a=scores.a, b=scores.b)
    return out


class _SpanLayer:
    """Pairwise span comparison of one kind of span, summed over sentences."""

    def __init__(self) -> None:
        self.pooled = _SpanCounts()
        self.per_label: dict[str, _SpanCounts] = defaultdict(_SpanCounts)
        self.pairwise: dict[tuple[int, int], _SpanCounts] = defaultdict(_SpanCounts)
        self.confusion: Counter[tuple[str, str]] = Counter()

    def add(self, per_annotator: Mapping[int, list[Span]], *, per_label: bool, confusion: bool) -> list[float]:
        """Compare every pair of annotators of one sentence; returns each pair's exact F1
        (1.0 when both marked nothing: they agree). Matching is per label (a span only
        matches one with its label), so the pooled counts are the sums of the per-label ones."""
        f1s: list[float] = []
        for i, j in combinations(sorted(per_annotator), 2):
            a, b = per_annotator[i], per_annotator[j]
            if a == b:
                exact = overlap = len(a)
                if per_label:
                    for label, n in Counter(span[2] for span in a).items():
                        self.per_label[label].add(n, n, n, n)
            else:
                exact = overlap = 0
                by_a, by_b = _by_label(a), _by_label(b)
                for label in by_a.keys() | by_b.keys():
                    la, lb = by_a.get(label, []), by_b.get(label, [])
                    e, o = _match_pair(la, lb)
                    exact += e
                    overlap += o
                    if per_label:
                        self.per_label[label].add(e, o, len(la), len(lb))
                if confusion:
                    self._confuse(a, b)
            self.pooled.add(exact, overlap, len(a), len(b))
            self.pairwise[(i, j)].add(exact, overlap, len(a), len(b))
            f1s.append(2 * exact / (len(a) + len(b)) if a or b else 1.0)
            if confusion and a == b:
                for _, _, label in a:
                    self.confusion[(label, label)] += 2
        return f1s

    def partial(self) -> dict[str, Any]:
        """Every count as JSON (they are sums over sentences, so partials of disjoint sentence
        sets add up to the whole)."""
        return {
            "pooled": self.pooled.as_list(),
            "per_label": {label: counts.as_list() for label, counts in self.per_label.items()},
            "pairwise": [[i, j, *counts.as_list()] for (i, j), counts in self.pairwise.items()],
            "confusion": [[x, y, n] for (x, y), n in self.confusion.items()],
        }

    def merge(self, partial: Mapping[str, Any]) -> None:
        self.pooled.add_list(partial["pooled"])
        for label, values in partial["per_label"].items():
            self.per_label[label].add_list(values)
        for i, j, *values in partial["pairwise"]:
            self.pairwise[(int(i), int(j))].add_list(values)
        for x, y, n in partial["confusion"]:
            self.confusion[(str(x), str(y))] += int(n)

    def _confuse(self, a: list[Span], b: list[Span]) -> None:
        """Label pairs of spans with the same offsets; a span only one side has pairs with ∅.
        Counted both ways round, so the matrix is symmetric (annotator order does not matter)."""
        offsets_a = {(s, e): label for s, e, label in a}
        offsets_b = {(s, e): label for s, e, label in b}
        if len(offsets_a) == len(a) and len(offsets_b) == len(b):  # one label per offset: the usual case
            for where in offsets_a.keys() | offsets_b.keys():
                x, y = offsets_a.get(where, NONE_LABEL), offsets_b.get(where, NONE_LABEL)
                self.confusion[(x, y)] += 1
                self.confusion[(y, x)] += 1
            return
        at_a: dict[tuple[int, int], list[str]] = defaultdict(list)
        at_b: dict[tuple[int, int], list[str]] = defaultdict(list)
        for s, e, label in a:
            at_a[(s, e)].append(label)
        for s, e, label in b:
            at_b[(s, e)].append(label)
        for where in at_a.keys() | at_b.keys():
            la, lb = sorted(at_a.get(where, [])), sorted(at_b.get(where, []))
            common = Counter(la) & Counter(lb)
            for label, n in common.items():
                self.confusion[(label, label)] += 2 * n
            rest_a = list((Counter(la) - common).elements())
            rest_b = list((Counter(lb) - common).elements())
            for k in range(max(len(rest_a), len(rest_b))):
                x = rest_a[k] if k < len(rest_a) else NONE_LABEL
                y = rest_b[k] if k < len(rest_b) else NONE_LABEL
                self.confusion[(x, y)] += 1
                self.confusion[(y, x)] += 1

    def confusion_payload(self, order: Sequence[str]) -> dict[str, Any]:
        seen = {x for pair in self.confusion for x in pair}
        labels = [label for label in order if label in seen]
        labels += sorted(seen - set(labels) - {NONE_LABEL})
        if NONE_LABEL in seen:
            labels.append(NONE_LABEL)
        index = {label: k for k, label in enumerate(labels)}
        matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
        for (x, y), n in self.confusion.items():
            matrix[index[x], index[y]] += n
        return _matrix_payload(matrix, labels)


def _entity_spans(items: Iterable[Mapping[str, Any]] | None) -> list[Span]:
    return sorted((int(e["start"]), int(e["end"]), str(e["label"])) for e in items or ())


class EntityAccumulator:
    """Entity spans: pooled, per label and per annotator pair F1 (exact and overlap).

    ``add(sentence_id, {annotator: [{"start","end","label"}, ...]})``. Every pair of annotators
    who both submitted the sentence is compared (an empty list is a real "no entities").
    """

    layer = "entities"

    def __init__(self, entity_types: Sequence[str] = (), *, structure: bool = True) -> None:
        self.types = list(entity_types)
        self.spans = _SpanLayer()
        self.disagreement: dict[str, float] = {}
        # Krippendorff's u-alpha over the sentences concatenated in the order they are added
        self.structure = structure
        self.unitizing = UnitizingStats()
        self._rows: list[int] = []  # coder, sentence, start, end, label code; flat
        self._lengths: list[int] = []
        self._members: list[int] = []  # sentence, coder; flat
        self._labels: dict[str, int] = {}

    def add(self, sentence_id: int, per_annotator: Mapping[int, Iterable[Mapping[str, Any]] | None],
            *, length: int | None = None) -> None:
        """``length``: the sentence's length in characters (its continuum for u-alpha); without
        it, the furthest span end in the sentence."""
        spans = {k: _entity_spans(v) for k, v in per_annotator.items()}
        f1s = self.spans.add(spans, per_label=True, confusion=True)
        if f1s and min(f1s) < 1.0:
            self.disagreement[str(sentence_id)] = 1.0 - sum(f1s) / len(f1s)
        if self.structure:
            self._unitize(spans, length)

    def _unitize(self, spans: Mapping[int, list[Span]], length: int | None) -> None:
        # flat int lists (one extend per span), turned into arrays once per block in _flush
        s = len(self._lengths)
        self._lengths.append(length or 0)
        rows, codes, members = self._rows, self._labels, self._members
        for k, units in spans.items():
            members.extend((s, k))
            for start, end, label in units:
                code = codes.get(label)
                if code is None:
                    code = codes[label] = len(codes)
                rows.extend((k, s, start, end, code))

    def _flush(self) -> None:
        """Fold the sentences added since the last flush into ``unitizing`` (vectorised)."""
        if not self._lengths:
            return
        rows = np.fromiter(self._rows, dtype=np.int64, count=len(self._rows)).reshape(-1, 5)
        rows = rows[rows[:, 2] >= 0]  # validation forbids negative offsets; never fail a job on one
        at = np.fromiter(self._members, dtype=np.int64, count=len(self._members)).reshape(-1, 2)
        lengths = np.array(self._lengths, dtype=np.int64)
        np.maximum.at(lengths, rows[:, 1], rows[:, 3])  # a span past the text (or no length) stretches it
        members = np.zeros((len(lengths), int(at[:, 1].max()) + 1 if len(at) else 0), dtype=bool)
        members[at[:, 0], at[:, 1]] = True
        block = UnitizingStats.from_arrays(
            coder=rows[:, 0], section=rows[:, 1], start=rows[:, 2], end=rows[:, 3], label=rows[:, 4],
            labels=list(self._labels), lengths=lengths, members=members,
        )
        self.unitizing.extend(block)
        self._rows, self._lengths, self._members, self._labels = [], [], [], {}

    def partial(self) -> dict[str, Any]:
        """The span counts (and u-alpha statistics) as JSON; ``merge`` adds another
        accumulator's (later sentences: merge in sentence order)."""
        out = self.spans.partial()
        if self.structure:
            self._flush()
            out["unitizing"] = self.unitizing.partial()
        return out

    def merge(self, partial: Mapping[str, Any]) -> None:
        self.spans.merge(partial)
        if self.structure and "unitizing" in partial:
            self._flush()
            self.unitizing.extend(UnitizingStats.from_partial(partial["unitizing"]))

    def finish(self, annotators: Sequence[str]) -> LayerPart:
        layer = self.spans
        section: dict[str, Any] = {
            "exact": _scores_dict(layer.pooled.scores("exact")),
            "overlap": _scores_dict(layer.pooled.scores("overlap")),
        }
        if self.structure:
            self._flush()
            section["unitizing_alpha"] = _unitizing_entry(self.unitizing, self.types)
        per_label: dict[str, Any] = {}
        order = self.types + sorted(set(layer.per_label) - set(self.types))
        for label in order:
            if label not in layer.per_label:
                continue
            counts = layer.per_label[label]
            entry: dict[str, Any] = {}
            _f1_entry(entry, "exact_f1", counts.scores("exact"))
            _f1_entry(entry, "overlap_f1", counts.scores("overlap"))
            entry["spans"] = counts.c["exact"][1] + counts.c["exact"][2]
            per_label[label] = entry
        section["per_label"] = per_label
        pairwise: dict[str, Any] = {}
        pairs: dict[str, float | None] = {}
        for i, j in combinations(range(len(annotators)), 2):
            entry = {}
            pair_counts = layer.pairwise.get((i, j))
            if pair_counts is None:
                note = "these two annotators share no submitted sentence"
                put(entry, "exact_f1", None, note)
                put(entry, "overlap_f1", None, note)
            else:
                _f1_entry(entry, "exact_f1", pair_counts.scores("exact"))
                _f1_entry(entry, "overlap_f1", pair_counts.scores("overlap"))
            pairwise[f"{annotators[i]}|{annotators[j]}"] = entry
            pairs[_pair_key(i, j)] = entry["exact_f1"]
        section["pairwise"] = pairwise
        confusion = {"labels": layer.confusion_payload(self.types)}
        return LayerPart(layer=self.layer, section=section, disagreement=self.disagreement, pairs=pairs,
                         confusion=confusion)


def _unitizing_entry(stats: UnitizingStats, order: Sequence[str]) -> dict[str, Any]:
    """The report's ``entities.unitizing_alpha``: overall and per label, null + note where
    undefined."""
    result = stats.result()
    out: dict[str, Any] = {}
    put(out, "alpha", result.alpha, result.note)
    per_label: dict[str, Any] = {}
    for label in [t for t in order if t in result.by_label] + sorted(set(result.by_label) - set(order)):
        entry: dict[str, Any] = {}
        put(entry, "alpha", result.by_label[label], result.notes.get(label))
        entry["units"] = result.units[label]
        per_label[label] = entry
    out["per_label"] = per_label
    out["characters"] = stats.length
    out["method"] = ("Krippendorff's u-alpha over the character continuum, sentences concatenated in order; "
                     "a sentence counts among the annotators who submitted it (at least two)")
    return out


# -- events -------------------------------------------------------------------------------------


class EventAccumulator:
    """Event types per sentence (alpha per type, MASI alpha over type sets) and trigger and
    argument spans (exact and overlap F1 over annotator pairs).

    ``add(sentence_id, {annotator: [{"type", "trigger": {"start","end"}, "arguments": [...]}]})``.
    An argument is the span ``(start, end, "<type>/<role>")``: it matches only with the same role
    of the same event type.

    Each sentence is kept as its *pattern*: the sorted codes of the type sets its annotators
    gave (a code per distinct set, first seen first), counted. Every type alpha, the MASI alpha
    and its bootstrap depend on the units only through these counts; ``partial()`` / ``merge()``
    carry them (with the set of each code) and the span counts between chunks. Merging chunks
    in sentence order gives the set codes in the same first-seen order as one pass would.
    """

    layer = "events"

    def __init__(self, event_types: Sequence[str], n_annotators: int, *, structure: bool = True) -> None:
        self.types = list(event_types)
        self.n = n_annotators
        # the ACE parts (trigger/argument identification/classification), collected per block
        self.structure = structure
        self.part_rows = EventRows()
        self.part_counts = EventPartCounts()
        self.set_codes: dict[frozenset[str], int] = {}
        self.patterns: Counter[tuple[int, ...]] = Counter()
        self.triggers = _SpanLayer()
        self.arguments = _SpanLayer()
        self.disagreement: dict[str, float] = {}

    def add(self, sentence_id: int, per_annotator: Mapping[int, Iterable[Mapping[str, Any]] | None]) -> None:
        triggers: dict[int, list[Span]] = {}
        arguments: dict[int, list[Span]] = {}
        sets: dict[int, frozenset[str]] = {}
        for annotator, events in per_annotator.items():
            events = list(events or ())
            sets[annotator] = frozenset(str(ev["type"]) for ev in events)
            triggers[annotator] = sorted(
                (int(ev["trigger"]["start"]), int(ev["trigger"]["end"]), str(ev["type"])) for ev in events
            )
            arguments[annotator] = sorted(
                (int(arg["start"]), int(arg["end"]), f"{ev['type']}/{arg['role']}")
                for ev in events for arg in ev.get("arguments") or ()
            )
        if sets:
            codes = [self.set_codes.setdefault(s, len(self.set_codes)) for s in sets.values()]
            self.patterns[tuple(sorted(codes))] += 1
        if self.structure:
            self.part_rows.add(per_annotator)
        self.triggers.add(triggers, per_label=False, confusion=True)
        self.arguments.add(arguments, per_label=False, confusion=False)
        distances = [masi_distance(sets[i], sets[j]) for i, j in combinations(sorted(sets), 2)]
        if distances and max(distances) > 0:
            self.disagreement[str(sentence_id)] = sum(distances) / len(distances)

    def domain(self) -> list[frozenset[str]]:
        """The distinct type sets, by code."""
        return sorted(self.set_codes, key=self.set_codes.__getitem__)

    def partial(self) -> dict[str, Any]:
        """Set domain, unit patterns and span counts as JSON (what a chunk task returns)."""
        out = {
            "sets": [sorted(s) for s in self.domain()],
            "patterns": [[list(key), n] for key, n in self.patterns.items()],
            "triggers": self.triggers.partial(),
            "arguments": self.arguments.partial(),
        }
        if self.structure:
            self._flush()
            out["parts"] = self.part_counts.partial()
        return out

    def _flush(self) -> None:
        self.part_counts.merge(self.part_rows.counts(self.n))

    def merge(self, partial: Mapping[str, Any]) -> None:
        """Add the ``partial()`` of later sentences: their set codes are renumbered into ours
        (new sets appended in their first-seen order)."""
        remap = [self.set_codes.setdefault(frozenset(map(str, types)), len(self.set_codes))
                 for types in partial["sets"]]
        for key, n in partial["patterns"]:
            self.patterns[tuple(sorted(remap[int(c)] for c in key))] += int(n)
        self.triggers.merge(partial["triggers"])
        self.arguments.merge(partial["arguments"])
        if self.structure and "parts" in partial:
            self.part_counts.merge(EventPartCounts.from_partial(partial["parts"]))

    def _keys(self) -> list[tuple[int, ...]]:
        return sorted(self.patterns)  # a canonical order, whatever the chunking

    def set_counts(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Distinct patterns as count rows over the set domain, and how many units show each."""
        keys = self._keys()
        rows = np.zeros((len(keys), len(self.set_codes)))
        for r, key in enumerate(keys):
            for code in key:
                rows[r, code] += 1
        return rows, np.array([self.patterns[key] for key in keys], dtype=np.int64)

    def finish(self, annotators: Sequence[str]) -> LayerPart:
        domain = self.domain()
        section: dict[str, Any] = {"types": self._per_type(domain)}
        masi = _sparse_set_alpha(self.patterns, domain)
        put(section, "masi_alpha", masi.value, masi.note)
        if masi.note is None and len(domain) > MAX_BOOTSTRAP_SETS:
            section["masi_alpha_ci95"] = None
            section["masi_alpha_ci95_note"] = (
                f"not computed: {len(domain)} distinct event-type sets (the bootstrap needs one "
                f"{len(domain)}x{len(domain)} matrix per distinct sentence pattern; limit {MAX_BOOTSTRAP_SETS})"
            )
        elif masi.note is None:
            # = set_alpha_bootstrap(units): same set domain order, same unit count patterns
            rows, freq = self.set_counts()
            boot = bootstrap_from_counts(_expand(rows, freq), _masi_distance(domain), n_boot=N_BOOT, seed=SEED)
            section["masi_alpha_ci95"] = [fnum(boot.low), fnum(boot.high)] if math.isfinite(boot.low) else None
            if section["masi_alpha_ci95"] is None:
                section["masi_alpha_ci95_note"] = boot.note or "undefined"
        else:
            section["masi_alpha_ci95"] = None
            section["masi_alpha_ci95_note"] = masi.note
        for key, layer in (("trigger_f1", self.triggers), ("argument_f1", self.arguments)):
            entry: dict[str, Any] = {}
            _f1_entry(entry, "exact", layer.pooled.scores("exact"))
            _f1_entry(entry, "overlap", layer.pooled.scores("overlap"))
            section[key] = entry
        pairwise: dict[str, Any] = {}
        pairs: dict[str, float | None] = {}
        for i, j in combinations(range(len(annotators)), 2):
            entry = {}
            counts = self.triggers.pairwise.get((i, j))
            if counts is None:
                put(entry, "trigger_exact_f1", None, "these two annotators share no submitted sentence")
            else:
                _f1_entry(entry, "trigger_exact_f1", counts.scores("exact"))
            pairwise[f"{annotators[i]}|{annotators[j]}"] = entry
            pairs[_pair_key(i, j)] = entry["trigger_exact_f1"]
        section["pairwise"] = pairwise
        if self.structure:
            self._flush()
            section["parts"] = self.part_counts.summary(self.types)
        confusion = {"types": self.triggers.confusion_payload(self.types)}
        return LayerPart(layer=self.layer, section=section, disagreement=dict(self.disagreement), pairs=pairs,
                         confusion=confusion)

    def _per_type(self, domain: list[frozenset[str]]) -> dict[str, Any]:
        if not self.patterns:
            return {}
        keys = self._keys()
        freq = np.array([self.patterns[key] for key in keys], dtype=np.int64)
        sizes = np.array([len(key) for key in keys], dtype=np.float64)
        seen = {t for s in domain for t in s}
        out: dict[str, Any] = {}
        for event_type in self.types + sorted(seen - set(self.types)):
            if event_type not in seen:
                continue
            has = [event_type in s for s in domain]
            present = np.array([sum(has[c] for c in key) for key in keys], dtype=np.float64)
            rows = np.stack([sizes - present, present], axis=1)  # per unit: (absent, present) counts
            used = (rows * freq[:, None]).sum(axis=0) > 0  # the library's domain: values that occur
            result = alpha_from_counts(_expand(rows[:, used], freq), level_distance("nominal", [0, 1][: int(used.sum())], None))
            entry: dict[str, Any] = {}
            put(entry, "alpha", result.value, result.note)
            entry["items"] = result.units
            entry["positives"] = int((present * freq).sum())
            out[event_type] = entry
        return out


def _masi_distance(domain: Sequence[frozenset[str]]) -> Any:
    """The MASI distance over the set domain, as the library's Distance callable."""
    v = len(domain)
    d = np.array([[masi_distance(p, q) for q in domain] for p in domain], dtype=np.float64).reshape(v, v)
    return lambda n: np.broadcast_to(d, (*n.shape[:-1], v, v))


def _sparse_set_alpha(patterns: Mapping[tuple[int, ...], int], domain: Sequence[frozenset[str]]) -> Any:
    """``set_alpha_with_note`` (MASI) with a sparse coincidence matrix built from the unit
    patterns: the library's dense units x sets count matrix would need gigabytes for 100,000
    sentences and hundreds of distinct type sets. Same formula (Krippendorff 2011; coincidences
    of pairable units), and the tests check it equals the library."""
    from annotator.agreement.alpha import NOTE_NO_PAIRABLE, NOTE_ONE_VALUE, AlphaResult

    v = len(domain)
    o = np.zeros((v, v))
    pairable = 0
    for key in sorted(patterns):
        m = len(key)
        if m < 2:
            continue
        n = patterns[key]
        pairable += n
        weight = n / (m - 1)
        for x in range(m):
            for y in range(m):
                if x != y:
                    o[key[x], key[y]] += weight
    nan = float("nan")
    if pairable == 0:
        return AlphaResult(nan, NOTE_NO_PAIRABLE, 0, 0, nan, nan)
    d = np.array([[masi_distance(p, q) for q in domain] for p in domain]).reshape(v, v)
    n_c = o.sum(axis=0)
    total = float(n_c.sum())
    observed_sum = float((o * d).sum())
    expected_sum = float((np.outer(n_c, n_c) * d).sum())
    d_o, d_e = observed_sum / total, expected_sum / (total * (total - 1.0))
    if expected_sum == 0.0:
        return AlphaResult(nan, NOTE_ONE_VALUE, pairable, round(total), d_o, d_e)
    return AlphaResult(1.0 - (total - 1.0) * observed_sum / expected_sum, None, pairable, round(total), d_o, d_e)


# -- the whole report ---------------------------------------------------------------------------


def annotator_figures(
    annotators: Sequence[str],
    seconds: Mapping[int, Sequence[float]],
    parts: Sequence[LayerPart],
) -> dict[str, Any]:
    """Per annotator: submitted items, median seconds per item, and mean agreement with each
    other annotator per layer (stance: Cohen kappa; entities: exact F1; events: trigger exact F1)
    plus their mean over layers."""
    out: dict[str, Any] = {}
    for k, name in enumerate(annotators):
        times = list(seconds.get(k, ()))
        entry: dict[str, Any] = {"items": len(times)}
        put(entry, "median_seconds", statistics.median(times) if times else None, "no submitted items")
        layer_means = []
        for part in parts:
            values = [v for key, v in part["pairs"].items() if k in map(int, key.split("|"))]
            mean = _mean(values)
            put(entry, f"{part['layer']}_agreement", mean, "no pair with a defined value")
            layer_means.append(mean)
        put(entry, "mean_agreement", _mean(layer_means), "no layer with a defined value")
        out[name] = entry
    return out


def pair_matrix(annotators: Sequence[str], part: LayerPart) -> list[list[float | None]]:
    """Annotator x annotator values of one layer (diagonal None), for the heatmap."""
    n = len(annotators)
    grid: list[list[float | None]] = [[None] * n for _ in range(n)]
    for key, value in part["pairs"].items():
        i, j = map(int, key.split("|"))
        grid[i][j] = grid[j][i] = value
    return grid


Ranked = list[tuple[int, float, dict[str, float]]]


def disputed(parts: Sequence[Mapping[str, Any]], limit: int = DISPUTED_LIMIT) -> Ranked:
    """The sentences with the most disagreement: (id, score, per-layer scores), score = mean over
    the layers given (a layer without disagreement counts 0), highest first, ties by id.
    ``parts`` need only ``"layer"`` and ``"disagreement"`` (LayerParts or accumulators' dicts)."""
    per_sentence: dict[str, dict[str, float]] = defaultdict(dict)
    for part in parts:
        for sid, score in part["disagreement"].items():
            per_sentence[sid][part["layer"]] = score
    layers = max(len(parts), 1)
    ranked = sorted(
        ((int(sid), sum(v.values()) / layers, v) for sid, v in per_sentence.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return ranked[:limit]


def disputed_merge(rankings: Iterable[Sequence[Sequence[Any]]], limit: int = DISPUTED_LIMIT) -> Ranked:
    """The global top ``limit`` from the top ``limit`` of each chunk of sentences: a sentence's
    score depends on that sentence alone, so the global top is within the union of the chunks'
    tops, and the same order (score, then id) picks it. Accepts the JSON form (lists)."""
    rows = [(int(sid), float(score), {str(k): float(v) for k, v in layers.items()})
            for ranking in rankings for sid, score, layers in ranking]
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:limit]


def assemble_report(
    *,
    project: str,
    computed_at: str,
    annotators: Sequence[str],
    sentences: int,
    sentences_annotated: int,
    parts: Sequence[LayerPart],
    seconds: Mapping[int, Sequence[float]],
    texts: Mapping[int, str],
    ranked: Ranked | None = None,
) -> dict[str, Any]:
    """The report dict (CONTRACT.md "Agreement report" keys, plus more). ``ranked`` is the
    most-disputed list (default ``disputed(parts)``; chunked computations pass the merged one);
    ``texts`` holds the text of at least the sentences in it."""
    by_layer = {part["layer"]: part for part in parts}
    report: dict[str, Any] = {
        "project": project,
        "computed_at": computed_at,
        "annotators": list(annotators),
        "sentences": sentences,
        "sentences_annotated": sentences_annotated,
    }
    for layer in ("stance", "events", "entities"):
        report[layer] = by_layer[layer]["section"] if layer in by_layer else {}
    report["annotator_figures"] = annotator_figures(annotators, seconds, parts)
    report["heatmaps"] = {layer: pair_matrix(annotators, part) for layer, part in by_layer.items()}
    report["confusion"] = {layer: part["confusion"] for layer, part in by_layer.items()}
    report["disputed"] = [
        {"id": sid, "text": texts.get(sid, ""), "score": fnum(score),
         "layers": {k: fnum(v) for k, v in layers.items()}}
        for sid, score, layers in (disputed(parts) if ranked is None else ranked)
    ]
    report["readings"] = dict(READINGS)
    return clean_json(report)
