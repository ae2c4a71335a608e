"""Many annotators ask for work at the same moment: no sentence goes to more than k."""

import threading
from collections import Counter

import pytest
from django.db import connection

from annotator.annotations.assignment import assignment_next
from annotator.annotations.models import Assignment
from annotator.projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_requests_never_exceed_k_per_sentence():
    project = ProjectFactory(overlap=2)
    add_text(project, " ".join(f"Sentence {i} is short." for i in range(6)))
    users = [UserFactory() for _ in range(12)]
    for user in users:
        MembershipFactory(project=project, user=user, role=Role.ANNOTATOR)
    barrier = threading.Barrier(len(users))
    errors = []

    def ask(user):
        try:
            barrier.wait(timeout=30)
            assignment_next(project=project, annotator=user)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    per_sentence = Counter(Assignment.objects.values_list("sentence_id", flat=True))
    assert max(per_sentence.values()) <= 2
    assert sum(per_sentence.values()) == 12  # 6 sentences x k=2: everyone got one
