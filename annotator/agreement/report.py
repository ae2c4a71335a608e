"""Building the agreement report from plain data: pure Python + numpy, no Django.

The report is assembled from one *section* per layer (stance, events, entities). Each section is
computed by an accumulator that is fed one sentence at a time, in any sentence order, with every
annotator's labels of that layer for that sentence, so that a caller can stream annotations from
a database without holding them all in memory:

    acc = EntityAccumulator()
    for sentence_id, {annotator_index: entities_list} in rows: acc.add(sentence_id, per_annotator)
    part = acc.finish(annotators)      # -> LayerPart (JSON-able dict)

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

from annotator.agreement.alpha import alpha_bootstrap, alpha_with_note
from annotator.agreement.confusion import pairwise_confusion_matrices, percent_agreement_with_note
from annotator.agreement.kappa import category_counts, fleiss_kappa_with_note, pairwise_cohen_kappa
from annotator.agreement.sets import masi_distance, set_alpha_bootstrap
from annotator.agreement.spans import SpanScores, matched_count

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


class StanceAccumulator:
    """Stance labels per target: coders x units codes, one matrix per target.

    ``add(sentence_id, {annotator: [{"target", "label"}, ...]})``. A target an annotator left
    unlabelled in a sentence is missing for that annotator, not a category.
    """

    layer = "stance"

    def __init__(self, targets: Sequence[str], labels: Sequence[str], n_annotators: int) -> None:
        self.targets = list(targets)
        self.labels = list(labels)
        self.n = n_annotators
        # target -> list of (sentence_id, annotator, label)
        self.rows: dict[str, list[tuple[int, int, str]]] = defaultdict(list)

    def add(self, sentence_id: int, per_annotator: Mapping[int, Sequence[Mapping[str, Any]] | None]) -> None:
        for annotator, stance in per_annotator.items():
            for item in stance or ():
                self.rows[item["target"]].append((sentence_id, annotator, item["label"]))

    def matrix(self, target: str) -> tuple[npt.NDArray[np.float64], list[int], list[str]]:
        """Coders x units label codes (float, NaN missing), the unit sentence ids and label names."""
        rows = self.rows.get(target, [])
        labels = list(self.labels) + sorted({r[2] for r in rows} - set(self.labels))
        code = {label: i for i, label in enumerate(labels)}
        sentence_ids = sorted({r[0] for r in rows})
        column = {sid: u for u, sid in enumerate(sentence_ids)}
        out = np.full((self.n, len(sentence_ids)), np.nan)
        for sid, annotator, label in rows:
            out[annotator, column[sid]] = code[label]
        return out, sentence_ids, labels

    def finish(self, annotators: Sequence[str]) -> LayerPart:
        section: dict[str, Any] = {}
        disagreement: dict[str, float] = {}
        pair_values: dict[str, list[float]] = defaultdict(list)
        confusion: dict[str, Any] = {}
        targets = self.targets + sorted(set(self.rows) - set(self.targets))
        for target in targets:
            data, sentence_ids, labels = self.matrix(target)
            section[target] = out = _stance_target(data, labels, annotators)
            for key, value in out["pairwise_cohen_kappa"].items():
                i, j = (annotators.index(name) for name in key.split("|"))
                if value is not None:
                    pair_values[_pair_key(i, j)].append(value)
            codes = np.where(np.isnan(data), -1, data).astype(np.int64)
            for u, score in _unit_disagreement(codes, len(labels)).items():
                sid = str(sentence_ids[u])
                disagreement[sid] = max(disagreement.get(sid, 0.0), score)
            if data.size:
                _, total, _ = pairwise_confusion_matrices(data, [str(i) for i in range(self.n)], list(range(len(labels))))
                confusion[target] = _matrix_payload(total + total.T, labels)
        pairs = {k: _mean(v) for k, v in pair_values.items()}
        return LayerPart(layer=self.layer, section=section, disagreement=disagreement, pairs=pairs, confusion=confusion)


def _unit_disagreement(codes: npt.NDArray[np.int64], n_values: int) -> dict[int, float]:
    """Per unit with >= 2 values: 1 - the share of agreeing coder pairs (nonzero ones only)."""
    out: dict[int, float] = {}
    if codes.size == 0:
        return out
    counts = np.zeros((codes.shape[1], n_values + 1))
    for row in codes:
        counts[np.arange(codes.shape[1]), np.where(row < 0, n_values, row)] += 1
    counts = counts[:, :n_values]
    m = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        agree = (counts * (counts - 1)).sum(axis=1) / (m * (m - 1))
    for u in np.flatnonzero((m >= 2) & (agree < 1)):
        out[int(u)] = float(1.0 - agree[u])
    return out


def _stance_target(data: npt.NDArray[np.float64], labels: Sequence[str], annotators: Sequence[str]) -> dict[str, Any]:
    """Alpha (with a seeded bootstrap CI95), Fleiss kappa, percent agreement and pairwise Cohen
    kappa of one target's coders x units matrix."""
    out: dict[str, Any] = {}
    present = ~np.isnan(data)
    per_unit = present.sum(axis=0)
    pairable = per_unit >= 2
    out["items"] = int(pairable.sum())
    if data.size == 0:
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
    alpha = alpha_with_note(data)
    put(out, "alpha", alpha.value, alpha.note)
    if alpha.note is None:
        boot = alpha_bootstrap(data, n_boot=N_BOOT, seed=SEED)
        if math.isfinite(boot.low):
            out["alpha_ci95"] = [fnum(boot.low), fnum(boot.high)]
        else:
            out["alpha_ci95"] = None
            out["alpha_ci95_note"] = boot.note or "undefined"
    else:
        out["alpha_ci95"] = None
        out["alpha_ci95_note"] = alpha.note
    sizes = set(per_unit[pairable].tolist())
    if len(sizes) == 1:
        table, _ = category_counts(data[:, pairable], labels=list(range(len(labels))))
        fleiss = fleiss_kappa_with_note(table)
        put(out, "fleiss_kappa", fleiss.value, fleiss.note)
    elif not sizes:
        put(out, "fleiss_kappa", None, "no sentence has this target labelled by two annotators")
    else:
        put(out, "fleiss_kappa", None,
            f"sentences have different numbers of annotators ({', '.join(map(str, sorted(sizes)))}); "
            "Fleiss' kappa needs the same number for every item: read alpha instead")
    agreement = percent_agreement_with_note(data)
    put(out, "percent_agreement", agreement.value, agreement.note)
    kappas = pairwise_cohen_kappa(data, coders=list(annotators))
    out["pairwise_cohen_kappa"] = {key: fnum(res.value) for key, res in kappas.items()}
    notes = {key: res.note for key, res in kappas.items() if res.note}
    if notes:
        out["pairwise_cohen_kappa_note"] = notes
    values, counts = np.unique(data[present].astype(np.int64), return_counts=True)
    out["label_counts"] = {labels[int(v)]: int(c) for v, c in zip(values, counts, strict=True)}
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

    def __init__(self, entity_types: Sequence[str] = ()) -> None:
        self.types = list(entity_types)
        self.spans = _SpanLayer()
        self.disagreement: dict[str, float] = {}

    def add(self, sentence_id: int, per_annotator: Mapping[int, Iterable[Mapping[str, Any]] | None]) -> None:
        spans = {k: _entity_spans(v) for k, v in per_annotator.items()}
        f1s = self.spans.add(spans, per_label=True, confusion=True)
        if f1s and min(f1s) < 1.0:
            self.disagreement[str(sentence_id)] = 1.0 - sum(f1s) / len(f1s)

    def finish(self, annotators: Sequence[str]) -> LayerPart:
        layer = self.spans
        section: dict[str, Any] = {
            "exact": _scores_dict(layer.pooled.scores("exact")),
            "overlap": _scores_dict(layer.pooled.scores("overlap")),
        }
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
            counts = layer.pairwise.get((i, j))
            if counts is None:
                note = "these two annotators share no submitted sentence"
                put(entry, "exact_f1", None, note)
                put(entry, "overlap_f1", None, note)
            else:
                _f1_entry(entry, "exact_f1", counts.scores("exact"))
                _f1_entry(entry, "overlap_f1", counts.scores("overlap"))
            pairwise[f"{annotators[i]}|{annotators[j]}"] = entry
            pairs[_pair_key(i, j)] = entry["exact_f1"]
        section["pairwise"] = pairwise
        confusion = {"labels": layer.confusion_payload(self.types)}
        return LayerPart(layer=self.layer, section=section, disagreement=self.disagreement, pairs=pairs,
                         confusion=confusion)


# -- events -------------------------------------------------------------------------------------


class EventAccumulator:
    """Event types per sentence (alpha per type, MASI alpha over type sets) and trigger and
    argument spans (exact and overlap F1 over annotator pairs).

    ``add(sentence_id, {annotator: [{"type", "trigger": {"start","end"}, "arguments": [...]}]})``.
    An argument is the span ``(start, end, "<type>/<role>")``: it matches only with the same role
    of the same event type.
    """

    layer = "events"

    def __init__(self, event_types: Sequence[str], n_annotators: int) -> None:
        self.types = list(event_types)
        self.n = n_annotators
        self.set_codes: dict[frozenset[str], int] = {}
        self.units: list[tuple[int, list[tuple[int, int]]]] = []  # (sentence_id, [(annotator, set code)])
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
        self.units.append(
            (sentence_id, [(k, self.set_codes.setdefault(s, len(self.set_codes))) for k, s in sets.items()])
        )
        self.triggers.add(triggers, per_label=False, confusion=True)
        self.arguments.add(arguments, per_label=False, confusion=False)
        distances = [masi_distance(sets[i], sets[j]) for i, j in combinations(sorted(sets), 2)]
        if distances and max(distances) > 0:
            self.disagreement[str(sentence_id)] = sum(distances) / len(distances)

    def finish(self, annotators: Sequence[str]) -> LayerPart:
        domain = sorted(self.set_codes, key=self.set_codes.__getitem__)
        section: dict[str, Any] = {"types": self._per_type(domain)}
        units = [{k: domain[code] for k, code in unit} for _, unit in self.units]
        masi = _sparse_set_alpha(self.units, domain)
        put(section, "masi_alpha", masi.value, masi.note)
        if masi.note is None and len(domain) > MAX_BOOTSTRAP_SETS:
            section["masi_alpha_ci95"] = None
            section["masi_alpha_ci95_note"] = (
                f"not computed: {len(domain)} distinct event-type sets (the bootstrap needs one "
                f"{len(domain)}x{len(domain)} matrix per distinct sentence pattern; limit {MAX_BOOTSTRAP_SETS})"
            )
        elif masi.note is None:
            boot = set_alpha_bootstrap(units, n_boot=N_BOOT, seed=SEED)
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
        confusion = {"types": self.triggers.confusion_payload(self.types)}
        return LayerPart(layer=self.layer, section=section, disagreement=self.disagreement, pairs=pairs,
                         confusion=confusion)

    def type_matrix(self, event_type: str) -> npt.NDArray[np.float64]:
        """Coders x units presence (1/0, NaN where the annotator did not submit the sentence)."""
        domain = sorted(self.set_codes, key=self.set_codes.__getitem__)
        has = np.array([event_type in s for s in domain], dtype=np.float64)
        out = np.full((self.n, len(self.units)), np.nan)
        for u, (_, unit) in enumerate(self.units):
            for k, code in unit:
                out[k, u] = has[code]
        return out

    def _per_type(self, domain: list[frozenset[str]]) -> dict[str, Any]:
        if not self.units:
            return {}
        # codes[k, u]: set code or -1; a type's presence matrix is a lookup into the set domain
        codes = np.full((self.n, len(self.units)), -1, dtype=np.int64)
        for u, (_, unit) in enumerate(self.units):
            for k, code in unit:
                codes[k, u] = code
        missing = codes < 0
        seen = {t for s in domain for t in s}
        out: dict[str, Any] = {}
        for event_type in self.types + sorted(seen - set(self.types)):
            if event_type not in seen:
                continue
            has = np.array([event_type in s for s in domain] + [False], dtype=np.float64)
            data = np.where(missing, np.nan, has[codes])
            result = alpha_with_note(data)
            entry: dict[str, Any] = {}
            put(entry, "alpha", result.value, result.note)
            entry["items"] = result.units
            entry["positives"] = int(np.nansum(data))
            out[event_type] = entry
        return out


def _sparse_set_alpha(units: Sequence[tuple[int, list[tuple[int, int]]]], domain: Sequence[frozenset[str]]) -> Any:
    """``set_alpha_with_note`` (MASI) with a sparse coincidence matrix: the library's dense
    units x sets count matrix would need gigabytes for 100,000 sentences and hundreds of
    distinct type sets. Same formula (Krippendorff 2011; coincidences of pairable units), and
    the tests check it equals the library."""
    from annotator.agreement.alpha import NOTE_NO_PAIRABLE, NOTE_ONE_VALUE, AlphaResult

    v = len(domain)
    o = np.zeros((v, v))
    pairable = 0
    for _, unit in units:
        m = len(unit)
        if m < 2:
            continue
        pairable += 1
        codes = [code for _, code in unit]
        for x in range(m):
            for y in range(m):
                if x != y:
                    o[codes[x], codes[y]] += 1.0 / (m - 1)
    nan = float("nan")
    if pairable == 0:
        return AlphaResult(nan, NOTE_NO_PAIRABLE, 0, 0, nan, nan)
    d = np.array([[masi_distance(p, q) for q in domain] for p in domain]).reshape(v, v)
    n_c = o.sum(axis=0)
    n = float(n_c.sum())
    observed_sum = float((o * d).sum())
    expected_sum = float((np.outer(n_c, n_c) * d).sum())
    d_o, d_e = observed_sum / n, expected_sum / (n * (n - 1.0))
    if expected_sum == 0.0:
        return AlphaResult(nan, NOTE_ONE_VALUE, pairable, round(n), d_o, d_e)
    return AlphaResult(1.0 - (n - 1.0) * observed_sum / expected_sum, None, pairable, round(n), d_o, d_e)


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


def disputed(parts: Sequence[LayerPart], limit: int = DISPUTED_LIMIT) -> list[tuple[int, float, dict[str, float]]]:
    """The sentences with the most disagreement: (id, score, per-layer scores), score = mean over
    the three layers (a layer without disagreement counts 0), highest first, ties by id."""
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
) -> dict[str, Any]:
    """The report dict (CONTRACT.md "Agreement report" keys, plus more). ``texts`` holds the
    text of at least the sentences ``disputed(parts)`` returns."""
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
        for sid, score, layers in disputed(parts)
    ]
    report["readings"] = dict(READINGS)
    return clean_json(report)
