"""Validation shared by the forms, the services and the Excel import, so that one rule gives
one message wherever the data comes from."""

from __future__ import annotations

from typing import Any

from anjian.domain.ids import validate_id_number, validate_uscc
from anjian.domain.registry import EnterpriseProfile, FieldError, validate_profile
from anjian.registry.models import Enterprise, Officer


def enterprise_errors(data: dict[str, Any], *, exclude_pk: int | None = None) -> list[FieldError]:
    """Everything wrong with enterprise field values (already parsed to Python types)."""
    errors: list[FieldError] = []
    if not (data.get("name") or "").strip():
        errors.append(FieldError("name", "MISSING_FIELD", "企业名称不能为空"))
    uscc = (data.get("uscc") or "").strip().upper()
    if not uscc:
        errors.append(FieldError("uscc", "MISSING_FIELD", "统一社会信用代码不能为空"))
    else:
        result = validate_uscc(uscc)
        if not result.valid:
            errors.append(FieldError("uscc", "BAD_USCC", result.reason or "统一社会信用代码无效"))
        else:
            clash = Enterprise.objects.filter(uscc=uscc, is_deleted=False)
            if exclude_pk is not None:
                clash = clash.exclude(pk=exclude_pk)
            if clash.exists():
                errors.append(FieldError("uscc", "DUPLICATE_CODE", f"统一社会信用代码{uscc}已登记"))
    if data.get("supervising_body") is None:
        errors.append(FieldError("supervising_body", "MISSING_BODY", "必须指定监管执法主体"))
    profile = EnterpriseProfile(
        sector=data.get("sector") or "",
        standardization_grade=data.get("standardization_grade"),
        coal_mine_class=data.get("coal_mine_class") or None,
        non_coal_risk_class=data.get("non_coal_risk_class") or None,
        employees=data.get("employees"),
    )
    if not profile.sector:
        errors.append(FieldError("sector", "MISSING_FIELD", "行业领域不能为空"))
    else:
        errors.extend(validate_profile(profile))
    return errors


def officer_errors(data: dict[str, Any], *, exclude_pk: int | None = None) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (data.get("name") or "").strip():
        errors.append(FieldError("name", "MISSING_FIELD", "姓名不能为空"))
    id_number = (data.get("id_number") or "").strip()
    if id_number:
        result = validate_id_number(id_number)
        if not result.valid:
            errors.append(FieldError("id_number", "BAD_IDCARD", result.reason or "身份证号码无效"))
    certificate = (data.get("certificate_no") or "").strip()
    if not certificate:
        errors.append(FieldError("certificate_no", "MISSING_FIELD", "执法证号不能为空"))
    else:
        clash = Officer.objects.filter(certificate_no=certificate, is_deleted=False)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors.append(
                FieldError("certificate_no", "DUPLICATE_CODE", f"执法证号{certificate}已登记")
            )
    if data.get("certificate_valid_until") is None:
        errors.append(
            FieldError("certificate_valid_until", "MISSING_FIELD", "执法证有效期不能为空")
        )
    body, section = data.get("body"), data.get("section")
    if body is None:
        errors.append(FieldError("body", "MISSING_BODY", "必须指定执法主体"))
    elif section is not None and section.body_id != body.pk:
        errors.append(FieldError("section", "CONTRADICTION", f"股室“{section}”不属于{body}"))
    return errors
