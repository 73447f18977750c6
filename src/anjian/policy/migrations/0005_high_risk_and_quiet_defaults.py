"""Correct the rule set shipped with anjian where a deployment still holds it unedited: 工贸 is
not a high-risk sector (the Shanxi cap table names 危险化学品、金属冶炼 only; the whole system now
reads one definition, `anjian.domain.registry.HIGH_RISK_SECTORS`), and every month has a quiet
period (the default pattern, its declaration deadline and the back-fill period are added).

Only version 1 exactly as shipped is rewritten (same name, version 1, the shipped note, no author,
the shipped cap tables). Versions the legal office saved are records of what it decided and stay
as they are: their `high_risk_sectors` was copied from the base version (the form never offered
it) and no longer has any effect; the quiet settings they lack read as the shipped defaults.
Everything needed is copied here, nothing is imported from the app."""

from django.db import migrations

SHIPPED_NAME = "shanxi-2025"
SHIPPED_NOTE = "随软件发布的山西 2025 规则集（文水县 2025 年工作方案及省厅频次上限）"
SHIPPED_CAPS = {
    "high_risk": {"1": 2, "2": 4, "3": 8, "ungraded": 12},
    "other": {"1": 1, "2": 2, "3": 4, "ungraded": 6},
    "coal_mine": {"A": 2, "B": 4, "C": 6, "D": 4},
    "non_coal_mine": {"A": 1, "B": 1, "C": 2, "D": 4},
}
CORRECTION_NOTE = (
    "；2026 年数据迁移改正：工贸不属高危行业（按非高危行业表 1/2/4/6），"
    "增加默认安静期（每月 1–10 日，上月 25 日前未设置的适用）与事后补批期限（3 个工作日）"
)
NEW_CHOICES = [
    "高危行业不由规则集设定，全系统只有一个口径（《安全生产法》第二十四条、第二十七条：矿山、金属冶炼、危险物品）：危险化学品、冶金按高危行业表，煤矿、非煤矿山按各自分类表，工贸及其他行业按非高危行业表（1/2/4/6）。工作方案三(一)3 所称“冶金工贸类高危行业”按省厅公示的“危险化学品、金属冶炼”理解。旧版本中的 high_risk_sectors 字段不再起作用；随软件发布且未修改的第 1 版已由数据迁移改正，法制办另存的版本原样保留（该字段是从底稿复制的，表单从未提供修改）。",
    "每月都有安静期：截至上月 25 日（quiet_declare_by）本局未设置的月份，按默认安静期执行，默认为每月 1 日至 10 日（quiet_default_days）。取月初是因为月初企业多在安排当月生产、月末有报表和结算，且连续 10 天便于企业记忆；执法主体可另设本单位的默认安静期（自设置之日后截止的月份起适用）。",
    "截止日前办公室或局领导可设置、修改下月安静期；截止日后（默认已向企业公布）只有局领导可以改动尚未开始的月份，已过去的日期在任何时候都不能改动。",
    "安静期例外须在入企日期之前（至迟入企当日、入企之前）经主要负责人批准；入企日期已过的申请不能再按事前审批批准。",
    "因事故、紧急危险（重大事故隐患现实危险）或重大事故隐患举报须先入企的，入企时即登记紧急事由，自动形成事后补批申请，须在入企后 3 个工作日内（quiet_backfill_workdays）报主要负责人补批；逾期未补批的在例外台账中标红，例外率中事前批准与事后补批分别统计。",
]
QUIET_BACKFILL_BASIS = "文水县应急管理局2025年工作方案 三(一)4；《安全生产法》第六十五条；涉企行政检查须事前报主体负责人批准，情况紧急当场实施的，事后及时报告并补办手续（司法部有关问题解答）"


def _is_unedited_shipped(row) -> bool:
    data = row.data or {}
    return (
        row.name == SHIPPED_NAME
        and row.version == 1
        and row.created_by_id is None
        and row.change_note == SHIPPED_NOTE
        and data.get("caps") == SHIPPED_CAPS
        and "industry_trade" in (data.get("high_risk_sectors") or [])
    )


def correct(apps, schema_editor):
    RuleSet = apps.get_model("policy", "RuleSet")
    for row in RuleSet.objects.all():
        if not _is_unedited_shipped(row):
            continue
        data = dict(row.data)
        data.pop("high_risk_sectors", None)
        data.setdefault("quiet_default_days", [[1, 10]])
        data.setdefault("quiet_declare_by", 25)
        data.setdefault("quiet_backfill_workdays", 3)
        data["choices"] = [*data.get("choices", []), *NEW_CHOICES]
        data["bases"] = {**data.get("bases", {}), "QUIET_BACKFILL": QUIET_BACKFILL_BASIS}
        row.data = data
        row.change_note = SHIPPED_NOTE + CORRECTION_NOTE
        row.save(update_fields=["data", "change_note"])


class Migration(migrations.Migration):
    dependencies = [("policy", "0004_quiet_defaults_and_backfill")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
