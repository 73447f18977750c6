"""The training requirements as data: required hours by role and sector risk, the three-level
induction, certificate periods and the alert window.

The dictionary form is what `policy_data/training/requirements.toml` holds; `requirements_from_dict`
checks every field and reports all problems at once (`RequirementsInvalid`), so a broken file is
refused whole rather than half used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from anjian.domain.registry import HIGH_RISK_SECTORS, SECTORS, ErrorCollector, FieldErrors

PERSON_ROLES: dict[str, str] = {
    "principal": "主要负责人",
    "safety_manager": "安全生产管理人员",
    "special_operator": "特种作业人员",
    "worker": "一般从业人员",
}
CERTIFICATE_KINDS: dict[str, str] = {
    "special_operation": "特种作业操作证",
    "manager": "安全生产知识和管理能力考核合格证",
}
INDUCTION_LEVELS: dict[str, str] = {
    "company": "厂（矿）级",
    "workshop": "车间（工段、区、队）级",
    "team": "班组级",
}
MAX_HOURS = 1000
MAX_YEARS = 20


class RequirementsInvalid(FieldErrors):
    """Every problem of the requirements' input, each a FieldError."""


@dataclass(frozen=True)
class HourRule:
    """The hours one group of roles needs in one risk class: `initial` in the first year (岗前 /
    初次), `annual` every later year (None: no uniform number, so nothing is short)."""

    roles: frozenset[str]
    high_risk: bool
    initial: int
    annual: int | None
    source: str
    annual_note: str = ""


@dataclass(frozen=True)
class CertificateRule:
    kind: str
    valid_years: int
    review_every_years: int | None
    roles: frozenset[str]
    source: str

    @property
    def label(self) -> str:
        return CERTIFICATE_KINDS[self.kind]


@dataclass(frozen=True)
class Requirements:
    name: str
    title: str
    effective_from: date
    alert_days: int
    alert_source: str
    high_risk_sectors: frozenset[str]
    high_risk_source: str
    hours: tuple[HourRule, ...]
    induction_levels: tuple[str, ...]
    induction_roles: frozenset[str]
    induction_source: str
    certificates: Mapping[str, CertificateRule]

    def is_high_risk(self, sector: str) -> bool:
        return sector in self.high_risk_sectors

    def hour_rule(self, role: str, sector: str) -> HourRule:
        """The rule for a role in a sector; every role has one in each risk class (checked when
        the requirements are read)."""
        high_risk = self.is_high_risk(sector)
        for rule in self.hours:
            if role in rule.roles and rule.high_risk == high_risk:
                return rule
        raise KeyError(role)


def _text(data: Mapping[str, Any], key: str, path: str, errors: ErrorCollector) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.fail(f"{path}{key}", "REQUIRED", f"{path}{key} 必填（文字）")
        return ""
    return value.strip()


def _count(
    data: Mapping[str, Any],
    key: str,
    path: str,
    errors: ErrorCollector,
    *,
    high: int,
    optional: bool = False,
) -> int | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        errors.fail(f"{path}{key}", "NUMBER", f"{path}{key} 应为 1–{high} 的整数，实为 {value!r}")
        return None
    return value


def _codes(
    data: Mapping[str, Any],
    key: str,
    path: str,
    known: Mapping[str, str],
    errors: ErrorCollector,
) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        errors.fail(f"{path}{key}", "LIST", f"{path}{key} 应为非空列表")
        return ()
    found: list[str] = []
    for item in value:
        if item not in known:
            errors.fail(f"{path}{key}", "UNKNOWN", f"{path}{key} 含未知代码：{item!r}")
        elif item in found:
            errors.fail(f"{path}{key}", "DUPLICATE", f"{path}{key} 重复：{item}")
        else:
            found.append(str(item))
    return tuple(found)


def _table(data: Mapping[str, Any], key: str, errors: ErrorCollector) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        errors.fail(key, "REQUIRED", f"{key} 必填（表）")
        return {}
    return value


def _hour_rules(data: Mapping[str, Any], errors: ErrorCollector) -> tuple[HourRule, ...]:
    rows = data.get("hours")
    if not isinstance(rows, list) or not rows:
        errors.fail("hours", "REQUIRED", "hours 必填（至少一条学时要求）")
        return ()
    rules: list[HourRule] = []
    for index, row in enumerate(rows):
        path = f"hours[{index}]."
        if not isinstance(row, Mapping):
            errors.fail(path, "TABLE", f"{path} 应为表")
            continue
        roles = _codes(row, "roles", path, PERSON_ROLES, errors)
        high_risk = row.get("high_risk")
        if not isinstance(high_risk, bool):
            errors.fail(f"{path}high_risk", "BOOLEAN", f"{path}high_risk 应为 true 或 false")
        initial = _count(row, "initial", path, errors, high=MAX_HOURS)
        annual = _count(row, "annual", path, errors, high=MAX_HOURS, optional=True)
        source = _text(row, "source", path, errors)
        note = str(row.get("annual_note", "")).strip()
        if annual is None and "annual" not in row and not note:
            message = f"{path} 未规定 annual 时须说明 annual_note"
            errors.fail(f"{path}annual_note", "REQUIRED", message)
        rules.append(
            HourRule(frozenset(roles), high_risk is True, initial or 0, annual, source, note)
        )
    for role, label in PERSON_ROLES.items():
        for risk in (False, True):
            matching = [r for r in rules if role in r.roles and r.high_risk == risk]
            if len(matching) != 1:
                kind = "高危行业" if risk else "一般行业"
                errors.fail(
                    "hours",
                    "COVERAGE",
                    f"{label}在{kind}应有且仅有一条学时要求，实有{len(matching)}条",
                )
    return tuple(rules)


def _certificates(data: Mapping[str, Any], errors: ErrorCollector) -> dict[str, CertificateRule]:
    table = _table(data, "certificates", errors)
    rules: dict[str, CertificateRule] = {}
    for kind in CERTIFICATE_KINDS:
        path = f"certificates.{kind}."
        row = table.get(kind)
        if not isinstance(row, Mapping):
            errors.fail(path, "REQUIRED", f"缺少证书期限：certificates.{kind}")
            continue
        valid = _count(row, "valid_years", path, errors, high=MAX_YEARS) or 0
        review = _count(row, "review_every_years", path, errors, high=MAX_YEARS, optional=True)
        if review is not None and valid and review >= valid:
            errors.fail(
                f"{path}review_every_years", "RANGE", f"{path}复审间隔应短于有效期（{valid}年）"
            )
        roles = _codes(row, "roles", path, PERSON_ROLES, errors)
        rules[kind] = CertificateRule(
            kind, valid, review, frozenset(roles), _text(row, "source", path, errors)
        )
    for kind in table:
        if kind not in CERTIFICATE_KINDS:
            errors.fail(f"certificates.{kind}", "UNKNOWN", f"未知的证书种类：{kind}")
    return rules


def _high_risk_sectors(table: Mapping[str, Any], errors: ErrorCollector) -> frozenset[str]:
    """The registry's one definition of high-risk (`HIGH_RISK_SECTORS`). The data may still list
    `sectors`, but only to confirm it: a different list is refused rather than a second
    definition kept."""
    if "sectors" not in table:
        return HIGH_RISK_SECTORS
    listed = frozenset(_codes(table, "sectors", "high_risk.", SECTORS, errors))
    if listed and listed != HIGH_RISK_SECTORS:
        names = "、".join(SECTORS[s] for s in sorted(HIGH_RISK_SECTORS))
        message = f"high_risk.sectors 须与全系统的高危行业口径一致（{names}），或不填"
        errors.fail("high_risk.sectors", "CONTRADICTION", message)
    return HIGH_RISK_SECTORS


def requirements_from_dict(data: Mapping[str, Any]) -> Requirements:
    """The checked requirements; raises RequirementsInvalid naming every bad field."""
    errors = ErrorCollector()
    effective_from = data.get("effective_from")
    if not isinstance(effective_from, date):
        errors.fail("effective_from", "DATE", "effective_from 应为日期")
        effective_from = date.min
    high_risk = _table(data, "high_risk", errors)
    induction = _table(data, "induction", errors)
    result = Requirements(
        name=_text(data, "name", "", errors),
        title=_text(data, "title", "", errors),
        effective_from=effective_from,
        alert_days=_count(data, "alert_days", "", errors, high=366) or 0,
        alert_source=_text(data, "alert_source", "", errors),
        high_risk_sectors=_high_risk_sectors(high_risk, errors),
        high_risk_source=_text(high_risk, "source", "high_risk.", errors),
        hours=_hour_rules(data, errors),
        induction_levels=_codes(induction, "levels", "induction.", INDUCTION_LEVELS, errors),
        induction_roles=frozenset(_codes(induction, "roles", "induction.", PERSON_ROLES, errors)),
        induction_source=_text(induction, "source", "induction.", errors),
        certificates=_certificates(data, errors),
    )
    if errors.errors:
        raise RequirementsInvalid(errors.errors)
    return result
