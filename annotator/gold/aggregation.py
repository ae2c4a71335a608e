"""Candidate gold from several annotators' annotations (pure numpy, no Django).

Vote rule (all layers)
======================
``threshold`` is a fraction of the annotators of a sentence, per layer (``stance``, ``events``,
``entities``, ``triggers``, ``arguments``); with ``n`` annotators the quorum is
``m = max(1, ceil(threshold * n))``.

- A categorical decision (stance of one target) is *accepted* when its top label is unique and
  has at least ``m`` votes. Ties are never accepted: the candidate is the tied label that comes
  first in the schema's label order (deterministic) and the sentence goes to adjudication.
- A yes/no decision (an event type present; a span with its label) is *kept* when at least ``m``
  annotators said yes and yes ≠ no; an exact tie is unresolved; a "yes" majority that misses
  the quorum is unresolved too.
- Spans vote exactly: ``(start, end, label)`` must match. Near-misses are flagged: same label and
  overlapping but different offsets (``boundary``), or same offsets with another label
  (``label``). A near-miss where neither variant was kept but together they reach the quorum
  (annotators agree *something* is there) sends the sentence to adjudication.

With ``method="dawid-skene"`` the stance and event-type decisions come from
:func:`dawid_skene` (per target / per event type, per-annotator confusion matrices) and their
confidence is the posterior of the chosen label; accepted when that posterior ≥ the threshold.
Span decisions are always votes.

Outputs
=======
Per sentence a candidate (see :func:`aggregate_gold`): the candidate gold (CONTRACT annotation
shape), ``confidence`` = the lowest confidence of its decisions (1.0 when it has none),
``disagreement`` = ``1 - confidence``, ``needs_adjudication``, ``flags`` and ``decisions``: per
stance target the votes per label (and, under Dawid–Skene, ``probs``: the posterior of every
label), per event type marked the yes votes of ``n`` (and ``prob``: the posterior that it is
present), and every entity and trigger span anybody marked with its ``votes`` of ``n`` — the soft
labels an export ships.
:func:`adjudication_queue` orders the sentences that need adjudication worst first.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

import numpy as np

Method = Literal["majority", "dawid-skene"]
LAYERS = ("stance", "events", "entities", "triggers", "arguments")
DEFAULT_THRESHOLD = 0.5
_EPS = 1e-9


def quorum(threshold: float, n: int | np.ndarray) -> Any:
    """``max(1, ceil(threshold * n))`` (vectorised); the epsilon keeps 2/3·3 at 2."""
    if isinstance(n, (int, np.integer)):  # the per-sentence span vote: no numpy overhead
        return max(1, math.ceil(float(threshold) * int(n) - _EPS))
    return np.maximum(1, np.ceil(np.asarray(threshold) * n - _EPS)).astype(np.int64)


# --- categorical label matrices -----------------------------------------------------------------


@dataclass
class MajorityResult:
    """Majority vote over ``labels`` (items × annotators, -1 = missing)."""

    label: (
        np.ndarray
    )  # (items,) chosen class; ties → lowest class index; -1 when no votes
    votes: np.ndarray  # (items, K) vote counts
    n: np.ndarray  # (items,) number of annotators who labelled the item
    confidence: np.ndarray  # (items,) top votes / n (nan when n == 0)
    tie: np.ndarray  # (items,) bool: more than one class has the top count
    accepted: np.ndarray  # (items,) bool: unique top with ≥ quorum votes


def vote_counts(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(items, K) counts of each class per item; -1 entries are ignored."""
    labels = np.asarray(labels)
    items = labels.shape[0]
    rows, cols = np.nonzero(labels >= 0)
    flat = rows * n_classes + labels[rows, cols]
    return np.bincount(flat, minlength=items * n_classes).reshape(items, n_classes)


def majority_vote(
    labels: np.ndarray, n_classes: int, *, threshold: float = DEFAULT_THRESHOLD
) -> MajorityResult:
    """Vectorised majority vote (see module docstring for the rule)."""
    votes = vote_counts(labels, n_classes)
    n = votes.sum(axis=1)
    top = votes.max(axis=1)
    label = np.where(
        n > 0, votes.argmax(axis=1), -1
    )  # argmax: first (lowest) index on ties
    tie = (votes == top[:, None]).sum(axis=1) > 1
    tie &= n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        confidence = np.where(n > 0, top / np.maximum(n, 1), np.nan)
    accepted = (n > 0) & ~tie & (top >= quorum(threshold, n))
    return MajorityResult(label, votes, n, confidence, tie, accepted)


@dataclass
class DawidSkeneResult:
    """Dawid–Skene EM estimate for one task (items × annotators, K classes)."""

    posteriors: np.ndarray  # (items, K); uniform prior row for items nobody labelled
    label: np.ndarray  # (items,) argmax posterior; -1 for unlabelled items
    confidence: np.ndarray  # (items,) posterior of ``label`` (nan when unlabelled)
    confusion: (
        np.ndarray
    )  # (annotators, K, K): P(annotator says l | true k), rows sum to 1
    priors: np.ndarray  # (K,)
    iterations: int
    converged: bool
    log_likelihood: float


def dawid_skene(
    labels: np.ndarray,
    n_classes: int,
    *,
    smoothing: float = 0.01,
    tol: float = 1e-6,
    max_iter: int = 100,
) -> DawidSkeneResult:
    """Dawid & Skene (1979) EM with one full confusion matrix per annotator.

    ``labels``: (items, annotators) ints in ``[0, K)``, -1 = missing. Initialised from the soft
    majority vote (vote fractions); ``smoothing`` is added to every confusion and prior count
    (keeps rarely seen classes from getting probability 0); stops when the log-likelihood
    improves by less than ``tol`` relative, or after ``max_iter`` iterations. Deterministic.

    Two shortcuts keep it fast without changing what it estimates:

    - Classes nobody ever used are left out of EM (their prior and posterior are 0; their rows
      of the confusion matrices are uniform, as nothing is known about them). With one class
      or none left there is nothing to estimate: every labelled item gets that class with
      confidence 1 and no iteration runs. (Before, an event type nobody marked ran EM on a
      class with only smoothing mass, which crept towards 0 for all ``max_iter`` iterations.)
    - Items with the same row of labels have the same posterior, so EM runs once per distinct
      row, weighted by how many items share it: with 3 annotators and K classes there are at
      most (K+1)^3 rows, so an iteration costs the same for 100 or 100,000 items.
    """
    labels = np.asarray(labels)
    items, annotators = labels.shape
    k = n_classes
    observed = labels >= 0
    has = observed.any(axis=1)
    used = np.unique(labels[observed]).astype(np.int64)
    confusion = np.full((annotators, k, k), 1.0 / max(k, 1))
    priors = np.zeros(k)
    post = np.zeros((items, k))
    if used.size <= 1:
        if used.size == 1:
            c = int(used[0])
            priors[c] = 1.0
            post[:, c] = 1.0
            confusion[:, c, :] = 0.0
            confusion[:, c, c] = 1.0
        else:
            priors[:] = 1.0 / k
            post[:] = priors
        label = np.where(has, post.argmax(axis=1), -1)
        confidence = np.where(has, 1.0, np.nan)
        return DawidSkeneResult(post, label, confidence, confusion, priors, 0, True, 0.0)

    # compact classes to 0..k'-1 and rows to distinct patterns (see the docstring)
    remap = np.full(k, -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    compact = np.where(observed, remap[np.maximum(labels, 0)], -1)
    patterns, inverse, weight = np.unique(
        compact[has], axis=0, return_inverse=True, return_counts=True
    )
    inverse = inverse.reshape(-1)
    sub = _dawid_skene_em(
        patterns, weight.astype(np.float64), int(used.size), smoothing, tol, max_iter
    )
    sub_post, sub_conf, sub_priors, iteration, converged, ll = sub

    priors[used] = sub_priors
    post[np.ix_(np.nonzero(has)[0], used)] = sub_post[inverse]
    post[~has] = priors
    for j in range(annotators):
        block = np.zeros((used.size, k))
        block[:, used] = sub_conf[j]
        confusion[j][used] = block
    label = np.where(has, post.argmax(axis=1), -1)
    confidence = np.where(has, post.max(axis=1), np.nan)
    return DawidSkeneResult(
        post, label, confidence, confusion, priors, iteration, converged, ll
    )


def _dawid_skene_em(
    patterns: np.ndarray,
    weight: np.ndarray,
    k: int,
    smoothing: float,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, bool, float]:
    """EM over distinct label rows ``patterns`` (each with ≥ 1 label), row ``i`` standing for
    ``weight[i]`` items. Returns (posteriors, confusion, priors, iterations, converged, ll)."""
    rows_n, annotators = patterns.shape
    rows = [np.nonzero(patterns[:, j] >= 0)[0] for j in range(annotators)]
    lab = [patterns[r, j] for j, r in enumerate(rows)]
    onehot = [np.eye(k)[lab_j] for lab_j in lab]
    counts = vote_counts(patterns, k).astype(np.float64)
    post = counts / counts.sum(axis=1, keepdims=True)
    w = weight[:, None]

    confusion = np.empty((annotators, k, k))
    priors = np.full(k, 1.0 / k)
    ll_prev = -np.inf
    ll = -np.inf
    converged = False
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007 - reported after the loop
        # M-step: priors and confusion matrices from the current soft labels
        weighted = post * w
        priors = weighted.sum(axis=0) + smoothing
        priors /= priors.sum()
        for j in range(annotators):
            c = weighted[rows[j]].T @ onehot[j] + smoothing
            confusion[j] = c / c.sum(axis=1, keepdims=True)
        # E-step: log posterior = log prior + sum over annotators of log pi_j[k, their label]
        log_post = np.tile(np.log(priors), (rows_n, 1))
        for j in range(annotators):
            log_post[rows[j]] += np.log(confusion[j]).T[lab[j]]
        top = log_post.max(axis=1, keepdims=True)
        norm = top + np.log(np.exp(log_post - top).sum(axis=1, keepdims=True))
        post = np.exp(log_post - norm)
        ll = float((norm[:, 0] * weight).sum())
        if abs(ll - ll_prev) <= tol * max(1.0, abs(ll)):
            converged = True
            break
        ll_prev = ll
    return post, confusion, priors, iteration, converged, ll


# --- spans --------------------------------------------------------------------------------------

Span = tuple[int, int, str]


@dataclass
class SpanVote:
    """Result of :func:`vote_spans` for one sentence."""

    kept: list[tuple[int, int, str, int]]  # (start, end, label, votes), sorted
    decisions: list[
        dict[str, Any]
    ]  # one per distinct span: votes, n, kept, resolved, confidence
    flags: list[dict[str, Any]]  # near-misses and unresolved spans
    unresolved: bool


def vote_spans(
    annotations: Sequence[Iterable[Span]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    layer: str = "entities",
) -> SpanVote:
    """Exact span-level vote over ``annotations`` (one iterable of (start, end, label) per
    annotator; an annotator marking the same span twice counts once)."""
    n = len(annotations)
    votes: Counter[Span] = Counter()
    for spans in annotations:
        votes.update({(int(s), int(e), str(lab)) for s, e, lab in spans})
    m = int(quorum(threshold, n)) if n else 1
    kept: list[tuple[int, int, str, int]] = []
    decisions: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    unresolved = False
    for span in sorted(votes):
        yes = votes[span]
        no = n - yes
        keep = yes >= m and yes != no
        resolved = keep or yes < no
        confidence = (yes if keep else no) / n
        decisions.append(
            {
                "span": list(span),
                "votes": yes,
                "n": n,
                "kept": keep,
                "resolved": resolved,
                "confidence": confidence,
            }
        )
        if keep:
            kept.append((*span, yes))
        elif not resolved:
            unresolved = True
            flags.append(
                {
                    "layer": layer,
                    "kind": "tie" if yes == no else "below_threshold",
                    "span": list(span),
                    "votes": yes,
                    "n": n,
                }
            )
    kept_set = {k[:3] for k in kept}
    distinct = sorted(votes)
    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            if a[0] == b[0] and a[1] == b[1]:
                kind = "label"
            elif a[2] == b[2] and a[0] < b[1] and b[0] < a[1]:
                kind = "boundary"
            else:
                continue
            lost = a not in kept_set and b not in kept_set and votes[a] + votes[b] >= m
            unresolved |= lost
            flags.append(
                {
                    "layer": layer,
                    "kind": f"near_miss_{kind}",
                    "spans": [list(a), list(b)],
                    "votes": [votes[a], votes[b]],
                    "unresolved": lost,
                }
            )
    return SpanVote(kept, decisions, flags, unresolved)


# --- whole-dataset aggregation ------------------------------------------------------------------


class SentenceAnnotations(TypedDict):
    """Input item: one sentence and the submitted annotations of its annotators
    (CONTRACT.md annotation shape plus ``annotator``)."""

    sentence_id: int
    annotations: list[dict[str, Any]]


@dataclass
class _Coo:
    """(item, annotator, label) triples collected while streaming, as compact int arrays."""

    item: array = field(default_factory=lambda: array("q"))
    annotator: array = field(default_factory=lambda: array("i"))
    label: array = field(default_factory=lambda: array("h"))

    def add(self, i: int, j: int, lab: int) -> None:
        self.item.append(i)
        self.annotator.append(j)
        self.label.append(lab)

    def matrix(
        self, items: int, annotators: int, base: np.ndarray | None = None
    ) -> np.ndarray:
        """items × annotators, -1 where no triple was added (or ``base``'s values)."""
        out = (
            np.full((items, annotators), -1, dtype=np.int16)
            if base is None
            else base.copy()
        )
        out[
            np.frombuffer(self.item, np.int64), np.frombuffer(self.annotator, np.int32)
        ] = np.frombuffer(self.label, np.int16)
        return out


@dataclass
class GoldAggregation:
    """Result of :func:`aggregate_gold`; iterate candidates with :meth:`candidates`."""

    method: Method
    thresholds: dict[str, float]
    sentence_ids: np.ndarray
    annotators: list[str]
    stance_labels: list[str]
    targets: list[str]
    event_types: list[str]
    # per target / event type: (label or presence, confidence, accepted, votes (items×K))
    stance: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    events: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    spans: list[dict[str, Any]]  # per sentence: voted entities/events and their flags
    models: dict[str, DawidSkeneResult] = field(default_factory=dict)

    def _lists(self) -> dict[str, Any]:
        """The decision arrays as Python lists, and per sentence the event types anybody
        marked (built once: per-sentence numpy indexing would dominate ``candidates``)."""
        cached = self.__dict__.get("_cache")
        if cached is None:
            marked: dict[int, list[str]] = {}
            events: dict[str, tuple[list[Any], ...]] = {}
            for etype, (lab, conf, acc, votes) in self.events.items():
                yes = votes[:, 1]
                for i in np.nonzero(yes)[0].tolist():
                    marked.setdefault(i, []).append(etype)
                events[etype] = (
                    lab.tolist(), conf.tolist(), acc.tolist(), yes.tolist(), votes.sum(axis=1).tolist()
                )
            stance = {
                target: (lab.tolist(), conf.tolist(), acc.tolist(), votes.tolist())
                for target, (lab, conf, acc, votes) in self.stance.items()
            }
            # Dawid–Skene posteriors as lists (soft labels), only when that method ran
            stance_probs = {
                target: self.models[f"stance:{target}"].posteriors.tolist()
                for target in self.stance
                if f"stance:{target}" in self.models
            }
            event_probs = {
                etype: self.models[f"event:{etype}"].posteriors[:, 1].tolist()
                for etype in self.events
                if f"event:{etype}" in self.models
            }
            cached = {
                "marked": marked, "events": events, "stance": stance,
                "stance_probs": stance_probs, "event_probs": event_probs,
            }
            self.__dict__["_cache"] = cached
        return cached

    def candidate(self, i: int) -> dict[str, Any]:
        """The candidate gold of the i-th input sentence."""
        lists = self._lists()
        sp = self.spans[i]
        flags = list(sp["flags"])
        confidences = list(sp["confidences"])
        unresolved = sp["unresolved"]
        stance_out: list[dict[str, str]] = []
        stance_dec: dict[str, Any] = {}
        for target, (lab, conf, acc, votes) in lists["stance"].items():
            if sum(votes[i]) == 0 or lab[i] < 0:
                continue
            label = self.stance_labels[int(lab[i])]
            stance_out.append({"target": target, "label": label})
            c = float(conf[i])
            confidences.append(c)
            stance_dec[target] = {
                "label": label,
                "confidence": c,
                "accepted": bool(acc[i]),
                "votes": {
                    self.stance_labels[k]: int(v) for k, v in enumerate(votes[i]) if v
                },
            }
            probs = lists["stance_probs"].get(target)
            if probs is not None:  # Dawid–Skene: the whole posterior, a soft label
                stance_dec[target]["probs"] = dict(zip(self.stance_labels, probs[i], strict=True))
            if not acc[i]:
                unresolved = True
                flags.append(
                    {"layer": "stance", "kind": "unresolved", "target": target}
                )
        event_dec: dict[str, Any] = {}
        present_types: set[str] = set()
        # a type nobody marked is trivially absent, not a decision
        for etype in lists["marked"].get(i, ()):
            lab, conf, acc, yes, n = lists["events"][etype]
            present = lab[i] == 1
            c = float(conf[i])
            confidences.append(c)
            event_dec[etype] = {
                "present": present,
                "confidence": c,
                "accepted": bool(acc[i]),
                "yes": int(yes[i]),
                "n": int(n[i]),
            }
            probs = lists["event_probs"].get(etype)
            if probs is not None:  # Dawid–Skene: posterior that the type is present
                event_dec[etype]["prob"] = probs[i]
            if not acc[i]:
                unresolved = True
                flags.append({"layer": "events", "kind": "unresolved", "type": etype})
            if present:
                present_types.add(etype)
        events_out = []
        typed = {e["type"] for e in sp["events"]}
        for event in sp["events"]:
            if event["type"] in present_types:
                events_out.append(event)
            else:
                flags.append(
                    {
                        "layer": "events",
                        "kind": "trigger_of_absent_type",
                        "type": event["type"],
                        "trigger": event["trigger"],
                    }
                )
        for etype in sorted(present_types - typed):
            unresolved = True
            flags.append(
                {"layer": "events", "kind": "no_trigger_quorum", "type": etype}
            )
        confidence = min(confidences) if confidences else 1.0
        return {
            "sentence_id": int(self.sentence_ids[i]),
            "method": self.method,
            "annotators": sp["annotators"],
            "gold": {
                "entities": sp["entities"],
                "stance": stance_out,
                "events": events_out,
            },
            "confidence": confidence,
            "disagreement": 1.0 - confidence,
            "needs_adjudication": bool(unresolved),
            "decisions": {
                "stance": stance_dec,
                "events": event_dec,
                # every span anybody marked with its votes (kept or not): the soft labels
                "entities": sp["entity_votes"],
                "triggers": sp["trigger_votes"],
            },
            "flags": flags,
        }

    def candidates(self) -> Iterator[dict[str, Any]]:
        """Candidates in input order."""
        for i in range(len(self.sentence_ids)):
            yield self.candidate(i)

    def adjudication_queue(self) -> list[dict[str, Any]]:
        """Sentences needing adjudication, worst first (see :func:`adjudication_queue`)."""
        return adjudication_queue(self.candidates())


def adjudication_queue(candidates: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``[{"sentence_id", "disagreement", "flags"}]`` for candidates that need adjudication,
    sorted by disagreement (desc), then number of flags (desc), then sentence id (asc)."""
    queue = [
        {
            "sentence_id": c["sentence_id"],
            "disagreement": c["disagreement"],
            "flags": len(c["flags"]),
        }
        for c in candidates
        if c["needs_adjudication"]
    ]
    queue.sort(key=lambda q: (-q["disagreement"], -q["flags"], q["sentence_id"]))
    return queue


def _thresholds(threshold: float | Mapping[str, float]) -> dict[str, float]:
    if isinstance(threshold, Mapping):
        unknown = set(threshold) - set(LAYERS)
        if unknown:
            raise ValueError(f"unknown layer(s) in threshold: {sorted(unknown)}")
        return {
            layer: float(threshold.get(layer, DEFAULT_THRESHOLD)) for layer in LAYERS
        }
    return dict.fromkeys(LAYERS, float(threshold))


def _vote_events(
    anns: Sequence[Mapping[str, Any]], th: Mapping[str, float]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[float], bool, list[dict[str, Any]]]:
    """Trigger-level vote (type + exact trigger span), then argument vote within each kept
    trigger among the annotators who marked it. The last item is the trigger decisions."""
    triggers = vote_spans(
        [
            [
                (e["trigger"]["start"], e["trigger"]["end"], e["type"])
                for e in a.get("events", [])
            ]
            for a in anns
        ],
        threshold=th["triggers"],
        layer="triggers",
    )
    events: list[dict[str, Any]] = []
    flags = list(triggers.flags)
    confidences = [d["confidence"] for d in triggers.decisions]
    unresolved = triggers.unresolved
    for start, end, etype, _ in triggers.kept:
        arg_sets = [
            [(g["start"], g["end"], g["role"]) for g in e.get("arguments", [])]
            for a in anns
            for e in a.get("events", [])
            if e["type"] == etype
            and e["trigger"]["start"] == start
            and e["trigger"]["end"] == end
        ]
        args = vote_spans(arg_sets, threshold=th["arguments"], layer="arguments")
        flags += [{**f, "trigger": [start, end, etype]} for f in args.flags]
        confidences += [d["confidence"] for d in args.decisions]
        unresolved |= args.unresolved
        events.append(
            {
                "type": etype,
                "trigger": {"start": start, "end": end},
                "arguments": [
                    {"role": r, "start": s, "end": e} for s, e, r, _ in args.kept
                ],
            }
        )
    return events, flags, confidences, unresolved, triggers.decisions


def _span_votes(decisions: Sequence[Mapping[str, Any]], name: str) -> list[dict[str, Any]]:
    """``[{"start", "end", name, "votes", "n"}]`` from :func:`vote_spans` decisions."""
    return [
        {"start": d["span"][0], "end": d["span"][1], name: d["span"][2], "votes": d["votes"], "n": d["n"]}
        for d in decisions
    ]


def aggregate_gold(
    items: Iterable[SentenceAnnotations],
    *,
    schema: Mapping[str, Any],
    method: Method = "majority",
    threshold: float | Mapping[str, float] = DEFAULT_THRESHOLD,
    smoothing: float = 0.01,
    tol: float = 1e-6,
    max_iter: int = 100,
) -> GoldAggregation:
    """Aggregate every sentence's annotations into candidate gold.

    ``items`` is streamed once; only compact per-decision arrays and each sentence's span vote
    are kept (Dawid–Skene needs all items together). Stance labels, targets and event types come
    from ``schema`` (CONTRACT.md); a stance label or target not in the schema is flagged
    (``unknown_stance``) and ignored. Deterministic: same input, same output.
    """
    if method not in ("majority", "dawid-skene"):
        raise ValueError(f"unknown method {method!r}")
    th = _thresholds(threshold)
    stance_schema = schema.get("stance") or {}
    labels = list(stance_schema.get("labels", []))
    targets = list(stance_schema.get("targets", []))
    event_types = [e["name"] for e in schema.get("event_types", [])]
    label_idx = {name: k for k, name in enumerate(labels)}
    target_idx = {name: t for t, name in enumerate(targets)}
    type_idx = {name: t for t, name in enumerate(event_types)}

    annotator_idx: dict[str, int] = {}
    sentence_ids = array("q")
    stance_coo = [_Coo() for _ in targets]
    # events: who annotated what (every event type "no") plus only the "yes" marks, so a
    # schema with 33 types does not store 33 triples per annotation
    annotated = _Coo()
    event_coo = [_Coo() for _ in event_types]
    spans: list[dict[str, Any]] = []

    for i, item in enumerate(items):
        sentence_ids.append(int(item["sentence_id"]))
        anns = item["annotations"]
        extra_flags: list[dict[str, Any]] = []
        for a in anns:
            j = annotator_idx.setdefault(str(a["annotator"]), len(annotator_idx))
            for s in a.get("stance", []):
                t, k = target_idx.get(s["target"]), label_idx.get(s["label"])
                if t is None or k is None:
                    extra_flags.append(
                        {
                            "layer": "stance",
                            "kind": "unknown_stance",
                            "target": s["target"],
                            "label": s["label"],
                        }
                    )
                    continue
                stance_coo[t].add(i, j, k)
            annotated.add(i, j, 0)
            for etype in {e["type"] for e in a.get("events", [])}:
                t = type_idx.get(etype)
                if t is not None:
                    event_coo[t].add(i, j, 1)
        entities = vote_spans(
            [
                [(e["start"], e["end"], e["label"]) for e in a.get("entities", [])]
                for a in anns
            ],
            threshold=th["entities"],
        )
        events, ev_flags, ev_conf, ev_unresolved, ev_votes = _vote_events(anns, th)
        spans.append(
            {
                "annotators": [str(a["annotator"]) for a in anns],
                "entities": [
                    {"start": s, "end": e, "label": lab}
                    for s, e, lab, _ in entities.kept
                ],
                "events": events,
                "flags": entities.flags + ev_flags + extra_flags,
                "entity_votes": _span_votes(entities.decisions, "label"),
                "trigger_votes": _span_votes(ev_votes, "type"),
                "confidences": [d["confidence"] for d in entities.decisions] + ev_conf,
                "unresolved": entities.unresolved or ev_unresolved,
            }
        )

    n_items, n_ann = len(sentence_ids), max(1, len(annotator_idx))
    result = GoldAggregation(
        method=method,
        thresholds=th,
        sentence_ids=np.frombuffer(sentence_ids, np.int64),
        annotators=list(annotator_idx),
        stance_labels=labels,
        targets=targets,
        event_types=event_types,
        stance={},
        events={},
        spans=spans,
    )

    def decide(
        matrix: np.ndarray, k: int, layer: str, key: str
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        mv = majority_vote(matrix, k, threshold=th[layer])
        if method == "majority":
            return mv.label, mv.confidence, mv.accepted, mv.votes
        ds = dawid_skene(matrix, k, smoothing=smoothing, tol=tol, max_iter=max_iter)
        result.models[key] = ds
        accepted = (ds.label >= 0) & (ds.confidence >= th[layer])
        return ds.label, ds.confidence, accepted, mv.votes

    for t, target in enumerate(targets):
        m = stance_coo[t].matrix(n_items, n_ann)
        result.stance[target] = decide(m, len(labels), "stance", f"stance:{target}")
    no_events = annotated.matrix(n_items, n_ann)
    for t, etype in enumerate(event_types):
        m = event_coo[t].matrix(n_items, n_ann, base=no_events)
        result.events[etype] = decide(m, 2, "events", f"event:{etype}")
    return result
