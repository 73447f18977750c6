"""Vocabularies of the enterprise registry and the rules that tie them together.

An enterprise's sector decides which classification applies: coal mines carry a class A–D
(《山西省煤矿分级分类安全监管监察办法》), non-coal mines a risk class A–D, every other sector a
safety standardization grade 1–3 or none (未定级).
"""

from __future__ import annotations

from dataclasses import dataclass

SECTORS: dict[str, str] = {
    "hazardous_chemicals": "危险化学品",
    "metallurgy": "冶金",
    "industry_trade": "工贸",
    "coal_mine": "煤矿",
    "non_coal_mine": "非煤矿山",
    "other": "其他",
}
MINE_SECTORS = frozenset({"coal_mine", "non_coal_mine"})
# 高危行业: the one definition the cap tables, the annual plan's key enterprises and the
# training hours all read. The Work Safety Law (arts. 24, 27) names 矿山、金属冶炼、危险物品
# units; the Shanxi cap table (2025-04-23) has a row for 危险化学品、金属冶炼 only, mines having
# their own class tables; 总局令第3号 lists the same for training plus 烟花爆竹, for which the
# registry has no sector. 工贸 (industry_trade) is not high-risk: it takes the non-high-risk row.
HIGH_RISK_SECTORS = frozenset({"hazardous_chemicals", "metallurgy", "coal_mine", "non_coal_mine"})
HIGH_RISK_BASIS = (
    "《安全生产法》第二十四条、第二十七条（矿山、金属冶炼、危险物品单位）；"
    "山西省应急管理厅年度执法检查频次上限（2025-04-23 公示）：高危行业表适用危险化学品、"
    "金属冶炼，矿山按煤矿、非煤矿山分类表，其余行业（含工贸）按非高危行业表；"
    "《生产经营单位安全培训规定》（总局令第3号）：煤矿、非煤矿山、危险化学品、烟花爆竹、金属冶炼"
)


def is_high_risk(sector: str) -> bool:
    """Whether a sector is high-risk (高危行业) in law; see HIGH_RISK_SECTORS."""
    return sector in HIGH_RISK_SECTORS


def cap_table(sector: str) -> str:
    """The row group of the Shanxi cap table an enterprise's sector falls in: its own mine table,
    `high_risk` for the other high-risk sectors, `other` for everyone else."""
    if sector in MINE_SECTORS:
        return sector
    return "high_risk" if is_high_risk(sector) else "other"


STANDARDIZATION_GRADES: dict[int, str] = {1: "一级", 2: "二级", 3: "三级"}
COAL_MINE_CLASSES: dict[str, str] = {"A": "A类", "B": "B类", "C": "C类", "D": "D类（长期停产）"}
NON_COAL_RISK_CLASSES: dict[str, str] = {
    "A": "A级（低风险）",
    "B": "B级（一般风险）",
    "C": "C级（较大风险）",
    "D": "D级（重大风险）",
}
SCALES: dict[str, str] = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
ENTERPRISE_STATUSES: dict[str, str] = {
    "operating": "正常生产",
    "suspended": "停产停业",
    "closed": "关闭注销",
}
BODY_LEVELS: dict[str, str] = {"province": "省级", "city": "市级", "county": "县级"}


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str


class FieldErrors(ValueError):
    """Every problem found in one input (a rule set, a benchmark, a command's JSON …), each a
    FieldError; the input is refused whole."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("；".join(e.message for e in errors))
        self.errors = errors


class ErrorCollector:
    """Gathers the FieldErrors of one input while it is read, so that all are reported at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, code: str, message: str) -> None:
        self.errors.append(FieldError(path, code, message))


@dataclass(frozen=True)
class EnterpriseProfile:
    sector: str
    standardization_grade: int | None
    coal_mine_class: str | None
    non_coal_risk_class: str | None
    employees: int | None = None


def _unknown(field: str, code: str, label: str, value: object) -> FieldError:
    return FieldError(field, code, f"未知的{label}：{value}")


def _check_mine_class(profile: EnterpriseProfile) -> list[FieldError]:
    errors: list[FieldError] = []
    if profile.sector == "coal_mine" and not profile.coal_mine_class:
        errors.append(
            FieldError("coal_mine_class", "MISSING_FIELD", "煤矿必须填写煤矿分类（A/B/C/D）")
        )
    if profile.sector != "coal_mine" and profile.coal_mine_class:
        errors.append(FieldError("coal_mine_class", "CONTRADICTION", "只有煤矿才有煤矿分类"))
    if profile.sector == "non_coal_mine" and not profile.non_coal_risk_class:
        errors.append(
            FieldError(
                "non_coal_risk_class", "MISSING_FIELD", "非煤矿山必须填写风险等级（A/B/C/D）"
            )
        )
    if profile.sector != "non_coal_mine" and profile.non_coal_risk_class:
        errors.append(
            FieldError("non_coal_risk_class", "CONTRADICTION", "只有非煤矿山才有风险等级")
        )
    return errors


def validate_profile(profile: EnterpriseProfile) -> list[FieldError]:
    """Every contradiction between sector and classification, as field errors."""
    if profile.sector not in SECTORS:
        return [_unknown("sector", "UNKNOWN_SECTOR", "行业领域", profile.sector)]
    errors: list[FieldError] = []
    grade = profile.standardization_grade
    if grade is not None and grade not in STANDARDIZATION_GRADES:
        errors.append(_unknown("standardization_grade", "UNKNOWN_GRADE", "标准化等级", grade))
    if profile.coal_mine_class and profile.coal_mine_class not in COAL_MINE_CLASSES:
        errors.append(
            _unknown("coal_mine_class", "UNKNOWN_CLASS", "煤矿分类", profile.coal_mine_class)
        )
    if profile.non_coal_risk_class and profile.non_coal_risk_class not in NON_COAL_RISK_CLASSES:
        errors.append(
            _unknown(
                "non_coal_risk_class",
                "UNKNOWN_CLASS",
                "非煤矿山风险等级",
                profile.non_coal_risk_class,
            )
        )
    if errors:
        return errors
    if profile.employees is not None and profile.employees < 0:
        errors.append(FieldError("employees", "NEGATIVE", "从业人员数不能为负数"))
    return errors + _check_mine_class(profile)


def classification_label(profile: EnterpriseProfile) -> str:
    """The one classification that matters for this enterprise, in Chinese."""
    if profile.sector == "coal_mine":
        return COAL_MINE_CLASSES.get(profile.coal_mine_class or "", "未分类")
    if profile.sector == "non_coal_mine":
        return NON_COAL_RISK_CLASSES.get(profile.non_coal_risk_class or "", "未评级")
    grade = profile.standardization_grade
    return f"标准化{STANDARDIZATION_GRADES[grade]}" if grade in STANDARDIZATION_GRADES else "未定级"
