"""Quoted table and column names of models, for the few statements written in SQL."""

from __future__ import annotations

from django.db import connection
from django.db.models import Field, Model


def model_field(model: type[Model], name: str) -> Field:  # type: ignore[type-arg]
    """A concrete field (a column), never a reverse relation."""
    found = model._meta.get_field(name)
    if not isinstance(found, Field) or found.column is None:
        raise LookupError(f"{model.__name__}.{name} is not a column")
    return found


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(str(model_field(model, name).column))
