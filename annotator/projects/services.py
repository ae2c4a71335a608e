"""Creating and changing projects and their members."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from annotator.accounts.selectors import may_create_projects
from annotator.accounts.services import password_check_and_set, user_create
from annotator.accounts.usernames import username_normalize
from annotator.annotations.models import Annotation, AnnotationRevision
from annotator.core.errors import Conflict, DomainError, PermissionDenied
from annotator.core.markdown import MarkdownTooLong, render_markdown
from annotator.gold.models import Gold, GoldCandidate, GoldRevision

from .models import Membership, Project, Role
from .schema import (
    check_renames,
    labels_rename,
    normalize_label_schema,
    schema_impact,
    schema_removals,
    validate_label_schema,
)
from .selectors import label_usage

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


def _rendered_guidelines(text: str) -> str:
    """The guidelines' sanitised HTML, rendered once here so that pages only read it."""
    try:
        return render_markdown(text)
    except MarkdownTooLong as exc:
        raise DomainError(str(exc), field="guidelines") from None


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
    """Create a project; the creator (if any) becomes its lead. Guidelines longer than
    ``annotator.core.markdown.MAX_CHARS`` are refused."""
    if not slug or slugify(slug) != slug:
        raise DomainError("slug must be lowercase letters, digits and dashes", field="slug")
    if Project.objects.filter(slug=slug).exists():
        raise DomainError(f"a project with slug {slug!r} already exists", field="slug")
    guidelines_html = _rendered_guidelines(guidelines)
    with transaction.atomic():
        project = Project.objects.create(
            slug=slug,
            name=name or slug,
            label_schema=_checked_schema(label_schema),
            overlap=_checked_overlap(overlap),
            description=description,
            guidelines=guidelines,
            guidelines_html=guidelines_html,
            created_by=created_by,
        )
        if created_by is not None:
            Membership.objects.create(project=project, user=created_by, role=Role.LEAD)
    return project


def project_create_for(*, user: Any, **fields: Any) -> Project:
    """``project_create`` on behalf of a signed-in user, who becomes its lead: refused
    (PermissionDenied, 403) unless the PROJECT_CREATORS setting lets them create projects."""
    if not may_create_projects(user=user):
        raise PermissionDenied("you may not create projects here; ask an administrator or a project lead")
    return project_create(created_by=user, **fields)


class SchemaChangeNeedsDecision(Conflict):
    """A new label schema removes names that stored annotations or gold use; ``extra``
    carries the ``impact`` (see :func:`project_schema_impact`) for the API to show."""

    def __init__(self, impact: dict[str, Any]) -> None:
        names = ", ".join(repr(i["name"]) for i in impact["removed"] if (i["annotations"] or i["gold"])
                          and i["renamed_to"] is None)
        super().__init__(
            f"the new schema removes names that annotations or gold use ({names}); say what to do with them: "
            '"renames" (rename or merge onto a kept name) or "confirm_orphans": true',
            field="label_schema",
        )
        self.extra = {"impact": impact}


def _checked_renames(old_schema: dict[str, Any], new_schema: dict[str, Any], renames: object) -> dict[str, Any]:
    errors = check_renames(renames, old_schema, new_schema)
    if errors:
        raise DomainError(f"{errors[0]['field']}: {errors[0]['message']}", field=errors[0]["field"], errors=errors)
    return renames if isinstance(renames, dict) else {}


def project_schema_impact(*, project: Project, label_schema: object, renames: object = None) -> dict[str, Any]:
    """What replacing ``project``'s schema with ``label_schema`` would do to stored work,
    without changing anything: ``{"removed": [{"kind", "name", "event_type"?, "annotations",
    "gold", "renamed_to"}], "unresolved": n}``. DomainError (400) for an invalid schema or
    renames. Reads the labels of the project's annotations and gold once when the schema
    removes a name (see ``label_usage``)."""
    new_schema = _checked_schema(label_schema)
    checked = _checked_renames(project.label_schema, new_schema, renames)
    removed = schema_removals(project.label_schema, new_schema, checked)
    usage = label_usage(project=project, keys=set(removed))
    return schema_impact(removed, usage, checked)


def _labels_rewrite(*, project: Project, renames: dict[str, Any]) -> dict[str, int]:
    """Apply ``renames`` to every stored annotation, gold decision and gold candidate of the
    project that uses a renamed name. Annotations and gold get a new version and a history
    row, so an editor still holding the old labels cannot write the old names back (refused
    as unknown labels or as a stale version). Precondition: inside the transaction that
    saves the schema; the rows are locked while they are rewritten."""
    rewritten = {"annotations": 0, "gold": 0}
    annotations = Annotation.objects.select_for_update().filter(project=project).only(
        "id", "labels", "version", "status", "unsure", "seconds")
    changed_annotations = []
    for annotation in annotations.iterator(chunk_size=2000):
        labels = labels_rename(annotation.labels, renames)
        if labels != annotation.labels:
            annotation.labels, annotation.version = labels, annotation.version + 1
            changed_annotations.append(annotation)
    Annotation.objects.bulk_update(changed_annotations, ["labels", "version"], batch_size=1000)
    AnnotationRevision.objects.bulk_create(
        [AnnotationRevision(annotation=a, version=a.version, labels=a.labels, status=a.status, unsure=a.unsure,
                            seconds=a.seconds) for a in changed_annotations], batch_size=1000)
    rewritten["annotations"] = len(changed_annotations)
    changed_gold = []
    for gold in Gold.objects.select_for_update().filter(project=project).iterator(chunk_size=2000):
        labels = labels_rename(gold.labels, renames)
        if labels != gold.labels:
            gold.labels, gold.version = labels, gold.version + 1
            changed_gold.append(gold)
    Gold.objects.bulk_update(changed_gold, ["labels", "version"], batch_size=1000)
    GoldRevision.objects.bulk_create(
        [GoldRevision(gold=g, version=g.version, labels=g.labels, source=g.source, confidence=g.confidence,
                      annotation_ids=g.annotation_ids, decided_by_id=g.decided_by_id, decided_at=g.decided_at,
                      reopened=g.reopened) for g in changed_gold], batch_size=1000)
    rewritten["gold"] = len(changed_gold)
    candidates = []
    for candidate in GoldCandidate.objects.select_for_update().filter(project=project).only("id", "labels").iterator(
            chunk_size=2000):
        labels = labels_rename(candidate.labels, renames)
        if labels != candidate.labels:
            candidate.labels = labels
            candidates.append(candidate)
    GoldCandidate.objects.bulk_update(candidates, ["labels"], batch_size=1000)
    return rewritten


def project_update(
    *, project: Project, renames: object = None, confirm_orphans: bool = False, **changes: Any
) -> Project:
    """Change a project's settings. ``label_schema`` is validated; a change of
    guidelines bumps ``guidelines_version`` (exports name the version they used) and stores
    their rendered HTML (too long: refused, as in project_create).

    A new ``label_schema`` that removes a name (entity type, stance target or label, event
    type, role) which stored annotations or gold use is refused with
    :class:`SchemaChangeNeedsDecision` (409, with the impact) unless every such name is in
    ``renames`` (``{"entity_types": {"Old": "New"}, ..., "roles": {"<old event type>":
    {"Old": "New"}}}``: the stored labels are rewritten in the same transaction; renaming
    onto a name that exists merges) or ``confirm_orphans`` is true (the stored labels are
    kept as they are: nothing is deleted, and adding the name back makes them valid again).
    The project row is locked for the whole change."""
    allowed = {"name", "description", "guidelines", "label_schema", "overlap", "assignment_timeout_minutes", "license"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"unknown field(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    if "label_schema" not in changes:
        if renames:
            raise DomainError("renames need a new label_schema", field="renames")
        return _project_apply(project=project, changes=changes)
    with transaction.atomic():
        # the schema the change replaces, read under the lock (the caller's copy may be stale)
        old = Project.objects.select_for_update().values_list("label_schema", flat=True).get(pk=project.pk)
        changes["label_schema"] = _checked_schema(changes["label_schema"])
        checked = _checked_renames(old, changes["label_schema"], renames)
        removed = schema_removals(old, changes["label_schema"], checked)
        if removed:
            impact = schema_impact(removed, label_usage(project=project, keys=set(removed)), checked)
            if impact["unresolved"] and not confirm_orphans:
                raise SchemaChangeNeedsDecision(impact)
        if checked:
            _labels_rewrite(project=project, renames=checked)
        return _project_apply(project=project, changes=changes)


def _project_apply(*, project: Project, changes: dict[str, Any]) -> Project:
    if "overlap" in changes:
        changes["overlap"] = _checked_overlap(changes["overlap"])
    if "assignment_timeout_minutes" in changes:
        minutes = changes["assignment_timeout_minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 60 * 24 * 30:
            raise DomainError("assignment timeout must be 1 to 43200 minutes", field="assignment_timeout_minutes")
    if "license" in changes:
        changes["license"] = _checked_license(changes["license"])
    if "guidelines" in changes:
        project.guidelines_html = _rendered_guidelines(changes["guidelines"])
        if changes["guidelines"] != project.guidelines:
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
    """Get or create a user; a given password is validated and set. For trusted callers
    only (the command line run by a server administrator, the demo loader): it may set
    the password of an existing account. A new username is checked (``username_clean``)."""
    user = User.objects.filter(username=username_normalize(username)).first()
    if user is None:
        return user_create(username=username, password=password, email=email)
    if password is not None:
        password_check_and_set(user, password)
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


NOT_ADDABLE = (
    "{username!r} is not someone you can add by name; send them an invitation link "
    "(POST /api/projects/{{id}}/invitations/, or Invite on the members page)"
)


def member_add(
    *, project: Project, username: str, role: str, by: Any = None, password: str | None = None
) -> tuple[Membership, str]:
    """Add an existing account to ``project`` with ``role``, or change the role of a member.
    Returns the membership and what happened: ``added``, ``role_changed`` or ``unchanged``.

    This grants membership of the caller's project and nothing else: it never creates an
    account and never sets a password (``password`` is refused with field ``password``;
    new people join by invitation). ``by`` (the lead asking; None for trusted code) may add
    only people they already see as members of a project they lead, or anyone if staff; any
    other name gets the same refusal whether or not it is an account, so the route does not
    tell which usernames exist. The last lead stays protected. Safe to run twice."""
    if password is not None:
        raise DomainError(
            "a lead never sets passwords: existing accounts keep theirs, new people choose "
            "their own through an invitation link",
            field="password",
        )
    username = username_normalize(username)
    if not username:
        raise DomainError("a username is needed", field="username")
    if role not in Role.values:
        raise DomainError(f"role must be one of {', '.join(Role.values)}", field="role")
    candidates = User.objects.filter(username=username, is_active=True)
    if by is not None and not (by.is_staff or by.is_superuser):
        led = Membership.objects.filter(user=by, role=Role.LEAD).values("project_id")
        candidates = candidates.filter(memberships__project_id__in=led)
    user = candidates.distinct().first()
    if user is None:
        raise DomainError(NOT_ADDABLE.format(username=username), field="username")
    with transaction.atomic():
        current = Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
        if current == role:
            return Membership.objects.get(project=project, user=user), "unchanged"
        if current == Role.LEAD:
            _guard_last_lead(project=project, user=user)
        membership = membership_set(project=project, user=user, role=role)
    return membership, "added" if current is None else "role_changed"


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
        if membership.role == Role.ANNOTATOR and role != Role.ANNOTATOR:
            # They stop annotating: as on removal, unfinished sentences go back to the pool.
            from annotator.annotations.models import Assignment, AssignmentState

            Assignment.objects.filter(project=project, annotator=membership.user, state=AssignmentState.OPEN).delete()
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
