"""Progress messages of an import say "1 new article", not "1 new articles" (issue 13, bug 11)."""

from __future__ import annotations

import pytest

from annotator.documents.parsing import ArticleIn
from annotator.documents.services import articles_store
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_progress_messages_are_pluralised() -> None:
    project = ProjectFactory()
    messages: list[str] = []
    articles_store(project=project, articles=[ArticleIn(title="T", text="Russia signed a pact. Kim met Putin.")],
                   progress=lambda fraction, message: messages.append(message))
    assert any("1 new article" in m for m in messages)
    assert not any("1 new articles" in m or "1 articles" in m for m in messages)
