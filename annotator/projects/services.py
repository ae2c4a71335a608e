"""Creating and changing projects and their members."""

from __future__ import annotations

import re
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
    allowed = {"name", "description", "guidelines", "label_schema", "overlap", "assignment_timeout_minutes", "license"}
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
    if "license" in changes:
        changes["license"] = _checked_license(changes["license"])
    if "guidelines" in changes and changes["guidelines"] != project.guidelines:
        project.guidelines_version += 1
    for key, value in changes.items():
        setattr(project, key, value)
    project.save()
    return project


LICENSE_ID = re.compile(r"[a-z0-9][a-z0-9.+-]{0,63}")


def _checked_license(value: object) -> str:
    """A license identifier as the Hugging Face dataset card takes it (lowercase SPDX-like:
    cc-by-4.0, mit, apache-2.0, other), or "" for unknown."""
    if not isinstance(value, str) or (value.strip() and not LICENSE_ID.fullmatch(value.strip())):
        raise DomainError("license must be an identifier like cc-by-4.0, mit or other (lowercase), or empty", field="license")
    return value.strip()


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


def _guard_last_lead(*, project: Project, user: Any) -> None:
    """Refuse to leave ``project`` without a lead when ``user`` stops being one.

    Precondition: inside a transaction. The project's lead rows are locked
    (``select_for_update``) so two leads demoting each other at once cannot both pass
    the check and leave nobody in charge."""
    leads = list(
        Membership.objects.select_for_update()
        .filter(project=project, role=Role.LEAD)
        .order_by("id")
        .values_list("user_id", flat=True)
    )
    if leads == [user.pk]:
        raise DomainError("a project needs at least one lead; make someone else lead first", field="role")


def member_add(*, project: Project, username: str, role: str, password: str | None = None) -> Membership:
    """Add ``username`` to ``project`` with ``role``, creating the user if missing.

    A given password is checked with Django's validators (DomainError field
    ``password``) and set -- but only on a new account or one that never had a usable
    password: a project lead must not be able to take over someone's existing account
    (another project's lead, an admin) by "adding" it with a password of their choice.
    Adding someone who is already a member changes their role (the last lead is still
    protected). Safe to run twice."""
    username = (username or "").strip()
    if not username:
        raise DomainError("a username is needed", field="username")
    if role not in Role.values:
        raise DomainError(f"role must be one of {', '.join(Role.values)}", field="role")
    existing = User.objects.filter(username=username).first()
    if password and existing is not None and existing.has_usable_password():
        raise DomainError(
            f"{username!r} already has an account with a password; add them without one "
            "(they change their own password)",
            field="password",
        )
    with transaction.atomic():
        user = user_ensure(username=username, password=password or None)
        if role != Role.LEAD:
            current = Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
            if current == Role.LEAD:
                _guard_last_lead(project=project, user=user)
        return membership_set(project=project, user=user, role=role)


def member_role_change(*, project: Project, username: str, role: str) -> Membership:
    """Give a member another role. 404 for a non-member; 400 when it would demote the
    project's last lead. Safe to run twice."""
    if role not in Role.values:
        raise DomainError(f"role must be one of {', '.join(Role.values)}", field="role")
    with transaction.atomic():
        membership = Membership.objects.select_related("user").filter(project=project, user__username=username).first()
        if membership is None:
            raise DomainError(f"{username!r} is not a member of this project", field="username", status=404)
        if membership.role == Role.LEAD and role != Role.LEAD:
            _guard_last_lead(project=project, user=membership.user)
        if membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
    return membership


def member_remove(*, project: Project, username: str) -> None:
    """Take ``username`` out of ``project``; 404 for a non-member, 400 for the last lead.

    Their annotations stay (they are the project's data); their open assignments go
    back to the pool, since nobody would finish them."""
    from annotator.annotations.models import Assignment, AssignmentState

    with transaction.atomic():
        membership = Membership.objects.select_related("user").filter(project=project, user__username=username).first()
        if membership is None:
            raise DomainError(f"{username!r} is not a member of this project", field="username", status=404)
        if membership.role == Role.LEAD:
            _guard_last_lead(project=project, user=membership.user)
        Assignment.objects.filter(project=project, annotator=membership.user, state=AssignmentState.OPEN).delete()
        membership.delete()
