"""Rules that tie a user's role to its body and section, shared by forms and services."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from anjian.accounts.models import EnforcementBody, Section
from anjian.accounts.roles import ADMINISTRATORS, BUREAU_STAFF, Role
from anjian.domain.registry import FieldError


def user_profile_errors(
    *, role: str, body: EnforcementBody | None, section: Section | None
) -> list[FieldError]:
    errors: list[FieldError] = []
    if role not in Role.values:
        return [FieldError("role", "UNKNOWN_ROLE", f"未知的角色：{role}")]
    if (role in BUREAU_STAFF or role in ADMINISTRATORS) and body is None:
        errors.append(FieldError("body", "MISSING_BODY", "局内人员和管理员必须指定执法主体"))
    if role in (Role.ENTERPRISE, Role.TRAINING_INSTITUTION) and (body or section):
        errors.append(FieldError("body", "CONTRADICTION", "企业和培训机构用户不属于执法主体或股室"))
    if section is not None and body is not None and section.body_id != body.pk:
        errors.append(FieldError("section", "CONTRADICTION", f"股室“{section}”不属于{body}"))
    if role == Role.BUSINESS_SECTION and (section is None or section.kind != Section.Kind.BUSINESS):
        errors.append(FieldError("section", "MISSING_FIELD", "业务股室用户必须指定一个业务股室"))
    return errors


def raise_field_errors(errors: list[FieldError]) -> None:
    """Turns field errors into one ValidationError that forms can show next to each field."""
    if errors:
        grouped: dict[str, list[str]] = {}
        for error in errors:
            grouped.setdefault(error.field, []).append(error.message)
        raise ValidationError(grouped)
