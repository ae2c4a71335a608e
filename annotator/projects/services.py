"""Creating and changing projects and their members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from annotator.core.errors import DomainError

from .models import Membership, Project, Role
from .schema import normalize_label_schema, validate_label_schema

User = get_user_model()


def _checked_schema(schema: object) -> dict[str, Any]:
    errors = validate_label_schema(schema)
    if errors:
        first = errors[0]
        raise DomainError(
            f"label schema is invalid: {first['field']}: {first['message']}",
            field=f"label_schema.{first['field']}",
            errors=[{"field": f"label_schema.{e['field']}", "message": e["message"]} for e in errors],
        )
    assert isinstance(schema, dict)
    return normalize_label_schema(schema)


def _checked_overlap(overlap: int) -> int:
    if isinstance(overlap, bool) or not isinstance(overlap, int) or not 1 <= overlap <= 50:
        raise DomainError("overlap must be a whole number from 1 to 50", field="overlap")
    return overlap


def project_create(
    *,
    slug: str,
    name: str = "",
    label_schema: object,
    overlap: int = 2,
    description: str = "",
    guidelines: str = "",
    created_by: Any = None,
) -> Project:
    """Create a project; the creator (if any) becomes its lead."""
    if not slug or slugify(slug) != slug:
        raise DomainError("slug must be lowercase letters, digits and dashes", field="slug")
    if Project.objects.filter(slug=slug).exists():
        raise DomainError(f"a project with slug {slug!r} already exists", field="slug")
    with transaction.atomic():
        project = Project.objects.create(
            slug=slug,
            name=name or slug,
            label_schema=_checked_schema(label_schema),
            overlap=_checked_overlap(overlap),
            description=description,
            guidelines=guidelines,
            created_by=created_by,
        )
        if created_by is not None:
            Membership.objects.create(project=project, user=created_by, role=Role.LEAD)
    return project


def project_update(*, project: Project, **changes: Any) -> Project:
    """Change a project's settings. ``label_schema`` is validated; a change of
    guidelines bumps ``guidelines_version`` (exports name the version they used)."""
    allowed = {"name", "description", "guidelines", "label_schema", "overlap", "assignment_timeout_minutes"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"unknown field(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    if "label_schema" in changes:
        changes["label_schema"] = _checked_schema(changes["label_schema"])
    if "overlap" in changes:
        changes["overlap"] = _checked_overlap(changes["overlap"])
    if "assignment_timeout_minutes" in changes:
        minutes = changes["assignment_timeout_minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 60 * 24 * 30:
            raise DomainError("assignment timeout must be 1 to 43200 minutes", field="assignment_timeout_minutes")
    if "guidelines" in changes and changes["guidelines"] != project.guidelines:
        project.guidelines_version += 1
    for key, value in changes.items():
        setattr(project, key, value)
    project.save()
    return project


def user_ensure(*, username: str, password: str | None = None, email: str = "") -> Any:
    """Get or create a user; a given password is validated and set."""
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from None
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def membership_set(*, project: Project, user: Any, role: str) -> Membership:
    """Add ``user`` to ``project`` with ``role``, or change their role."""
    if role not in Role.values:
        raise DomainError(f"role must be one of {', '.join(Role.values)}", field="role")
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


def membership_remove(*, project: Project, user: Any) -> None:
    Membership.objects.filter(project=project, user=user).delete()
