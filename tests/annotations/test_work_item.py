"""Issue 12 target 3: a work item (sentence, context, own annotation, progress, queue
neighbours) is 3 statements however big the project is."""

from __future__ import annotations

import pytest

from annotator.annotations.assignment import assignment_next
from annotator.annotations.selectors import progress_of, work_item
from annotator.documents.models import Sentence
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, add_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize("articles", [1, 40])
def test_a_work_item_is_three_statements_whatever_the_project_size(articles, django_assert_max_num_queries) -> None:
    project = ProjectFactory(overlap=2)
    for i in range(articles):
        add_text(project, f"Putin met Kim {i}. They talked. Then they left.", title=f"a{i}")
    me, other = UserFactory(), UserFactory()
    for user in (me, other):
        MembershipFactory(project=project, user=user, role="annotator")
    for _ in range(3):
        first = assignment_next(project=project, annotator=other)
        assert first is not None
        first.state = "done"
        first.save()
    mine = assignment_next(project=project, annotator=me)
    assert mine is not None
    sentence = Sentence.objects.select_related("document", "project").get(pk=mine.sentence_id)  # as the views pass it
    with django_assert_max_num_queries(3):
        item = work_item(sentence=sentence, annotator=me)
    assert item["sentence"]["id"] == sentence.pk
    assert item["annotation"] is None
    assert item["progress"] == progress_of(project=project, annotator=me)
    assert item["progress"] == {"done": 0, "assigned": 1, "remaining": 3 * articles - 1}
    assert item["queue"] == {"previous": None, "next": None}


def test_get_sentence_is_the_permission_read_plus_the_three_statements_of_the_work_item(django_assert_max_num_queries) -> None:
    from rest_framework.test import APIClient

    project = ProjectFactory(overlap=2)
    for i in range(20):
        add_text(project, f"Putin met Kim {i}. They talked.", title=f"a{i}")
    me = UserFactory()
    MembershipFactory(project=project, user=me, role="annotator")
    client = APIClient()
    client.force_authenticate(me)
    first = client.get(f"/api/projects/{project.id}/next/").json()["sentence"]
    with django_assert_max_num_queries(4):
        body = client.get(f"/api/sentences/{first['id']}/").json()
    assert body["sentence"]["id"] == first["id"] and body["progress"] == {"done": 0, "assigned": 1, "remaining": 39}
