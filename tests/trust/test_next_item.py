"""Regression (found by bench/load.py): "next" must find a free sentence however many
full sentences come before it in document order, instead of answering 204 ("nothing
left") after looking at the first MAX_CANDIDATES."""

from __future__ import annotations

import pytest

from annotator.annotations.assignment import MAX_CANDIDATES, assignment_create, assignment_next
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_next_skips_any_number_of_full_sentences(django_assert_max_num_queries) -> None:
    project = ProjectFactory(overlap=1)
    add_text(project, " ".join(f"Sentence number {i} is here." for i in range(MAX_CANDIDATES + 10)))
    first, late = UserFactory(), UserFactory()
    for user in (first, late):
        MembershipFactory(project=project, user=user, role="annotator")
    sentences = list(project.sentences.order_by("document_id", "index"))
    assert len(sentences) == MAX_CANDIDATES + 10
    for sentence in sentences[: MAX_CANDIDATES + 5]:
        assignment_create(project=project, sentence=sentence, annotator=first)
    with django_assert_max_num_queries(12):
        assignment = assignment_next(project=project, annotator=late)
    assert assignment is not None, "five sentences are still free"
    assert assignment.sentence_id == sentences[MAX_CANDIDATES + 5].pk
