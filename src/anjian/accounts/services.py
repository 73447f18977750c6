"""Writes to accounts. Each takes the acting user and records an audit entry."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.audit.services import audit_record, diff, snapshot


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    body: EnforcementBody | None = None,
    section: Section | None = None,
    validate: bool = True,
) -> User:
    user = User(username=username, role=role, display_name=display_name, body=body, section=section)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user.create",
        target=user,
        changes={
            "role": {"before": None, "after": role},
            "body": {"before": None, "after": body and body.pk},
        },
    )
    return user


@transaction.atomic
def user_change_password(*, actor: User, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=actor, action="accounts.user.change_password", target=user)


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> None:
    before = actor.language
    actor.language = language
    actor.save(update_fields=["language"])
    audit_record(
        actor=actor,
        action="accounts.user.set_language",
        target=actor,
        changes={"language": {"before": before, "after": language}},
    )


BODY_FIELDS = ["name", "short_name", "level", "division_code", "parent"]
SECTION_FIELDS = ["body", "name", "kind", "sectors"]


@transaction.atomic
def body_create(
    *,
    actor: User | None,
    name: str,
    level: str,
    parent: EnforcementBody | None = None,
    short_name: str = "",
    division_code: str = "",
) -> EnforcementBody:
    body = EnforcementBody(
        name=name, short_name=short_name, level=level, division_code=division_code, parent=parent
    )
    body.full_clean()
    body.save()
    audit_record(
        actor=actor,
        action="accounts.body.create",
        target=body,
        changes=diff({}, snapshot(body, BODY_FIELDS)),
    )
    return body


@transaction.atomic
def section_create(
    *, actor: User | None, body: EnforcementBody, name: str, kind: str, sectors: list[str]
) -> Section:
    section = Section(body=body, name=name, kind=kind, sectors=list(sectors))
    section.full_clean()
    section.save()
    audit_record(
        actor=actor,
        action="accounts.section.create",
        target=section,
        changes=diff({}, snapshot(section, SECTION_FIELDS)),
    )
    return section
