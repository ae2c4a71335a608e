"""Event agreement by part (ACE split: trigger / argument identification / classification) on a
hand-made fixture whose counts are worked out by hand in the comments."""

from __future__ import annotations

import random

import pytest

from annotator.agreement.events import EventPartCounts, EventRows, event_part_f1


def _ev(etype: str, trigger: tuple[int, int], *args: tuple[str, int, int]) -> dict:
    return {"type": etype, "trigger": {"start": trigger[0], "end": trigger[1]},
            "arguments": [{"role": r, "start": s, "end": e} for r, s, e in args]}


# Same two triggers; the second has another type. Arguments: Attacker agrees, the Attack's
# second argument has another role, the last argument sits in an event of another type.
A = [_ev("Conflict:Attack", (10, 16), ("Attacker", 0, 6), ("Target", 20, 30)),
     _ev("Movement:Transport", (40, 48), ("Artifact", 50, 60))]
B = [_ev("Conflict:Attack", (10, 16), ("Attacker", 0, 6), ("Victim", 20, 30)),
     _ev("Contact:Meet", (40, 48), ("Entity", 50, 60))]


def test_the_four_parts_on_a_hand_made_fixture() -> None:
    parts = event_part_f1(A, B)
    # trigger identification: both offsets match -> 2 of 2
    assert parts["trigger_identification"]["f1"] == 1.0
    # trigger classification: only the Attack keeps its type -> 1 of 2 on each side
    assert parts["trigger_classification"] | {} == {
        "f1": 0.5, "precision": 0.5, "recall": 0.5, "pairs": 1, "matched": 1, "a": 2, "b": 2}
    # argument identification (type + offsets): both Attack arguments -> 2 of 3
    assert parts["argument_identification"]["f1"] == pytest.approx(2 / 3, abs=1e-6)
    # argument classification (+ role): only Attacker -> 1 of 3
    assert parts["argument_classification"]["f1"] == pytest.approx(1 / 3, abs=1e-6)


def test_per_type_and_per_role() -> None:
    parts = event_part_f1(A, B)
    attack = parts["per_type"]["Conflict:Attack"]
    assert attack["trigger_classification"]["f1"] == 1.0
    assert attack["argument_identification"]["f1"] == 1.0
    assert attack["argument_classification"]["f1"] == 0.5
    transport = parts["per_type"]["Movement:Transport"]["trigger_classification"]
    # only the reference has it: recall 0, precision undefined (null with a note), F1 0
    assert transport["f1"] == 0.0 and transport["recall"] == 0.0
    assert transport["precision"] is None and transport["precision_note"]
    assert "trigger_identification" not in parts["per_type"]["Conflict:Attack"]
    assert parts["per_role"]["Attacker"] == {"argument_classification": {
        "f1": 1.0, "precision": 1.0, "recall": 1.0, "pairs": 1, "matched": 1, "a": 1, "b": 1}}
    assert parts["per_role"]["Target"]["argument_classification"]["f1"] == 0.0
    assert parts["per_role"]["Victim"]["argument_classification"]["f1"] == 0.0


def test_identical_events_in_any_order_are_full_agreement() -> None:
    nested = [_ev("Conflict:Attack", (10, 16), ("Attacker", 0, 6), ("Target", 0, 30)),
              _ev("Conflict:Attack", (10, 16), ("Attacker", 0, 6)),
              _ev("Life:Die", (12, 16), ("Victim", 0, 30))]
    rng = random.Random(2)
    for _ in range(5):
        a, b = nested[:], nested[:]
        rng.shuffle(a)
        rng.shuffle(b)
        parts = event_part_f1(a, b)
        assert all(parts[p]["f1"] == 1.0 for p in
                   ("trigger_identification", "trigger_classification", "argument_identification",
                    "argument_classification"))


def test_pairs_are_averaged_and_only_over_shared_sentences() -> None:
    rows = EventRows()
    rows.add({0: A, 1: A, 2: B})  # sentence 0: everybody
    rows.add({0: [_ev("Life:Die", (1, 3))], 1: []})  # sentence 1: annotator 2 did not submit it
    parts = rows.counts(3).summary()
    tc = parts["trigger_classification"]
    # pairs: (0,1) sentence 0: 2/2 and sentence 1: 0 of (1, 0) -> 2*2/(3+2) = .8;
    # (0,2) and (1,2): sentence 0 only, .5 each; mean (.8 + .5 + .5) / 3
    assert tc["f1"] == pytest.approx((0.8 + 0.5 + 0.5) / 3, abs=1e-6)
    assert tc["pairs"] == 3


def test_counts_merge_by_addition() -> None:
    rows = EventRows()
    rows.add({0: A, 1: B})
    first = rows.counts(2)
    rows.add({0: B, 1: B})
    second = rows.counts(2)
    merged = EventPartCounts.from_partial(first.partial())
    merged.merge(EventPartCounts.from_partial(second.partial()))
    together = EventRows()
    together.add({0: A, 1: B})
    together.add({0: B, 1: B})
    assert merged.summary() == together.counts(2).summary()


def test_nobody_marking_events_is_undefined_not_perfect() -> None:
    parts = event_part_f1([], [])
    assert parts["trigger_identification"]["f1"] is None
    assert parts["trigger_identification"]["f1_note"]
