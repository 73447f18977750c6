"""Vocabularies of the entry rules: activities, modes, body levels and reason codes."""

from __future__ import annotations

ACTIVITIES: dict[str, str] = {
    "enforcement_inspection": "执法检查",
    "supervision_inspection": "督导检查",
    "assistance_guidance": "帮扶指导",
    "research_visit": "调查研究",
    "complaint_verification": "调查核实（投诉举报）",
    "assessment_patrol": "考核巡查",
    "rectification_review": "整改复查",
    "supervisor_patrol": "矿山安全监管专员入矿巡查",
}

MODES: dict[str, str] = {"on_site": "现场检查", "written": "书面检查", "remote": "非现场检查"}

LEVELS: dict[str, str] = {"province": "省级", "city": "市级", "county": "县级"}
LEVEL_RANK: dict[str, int] = {"county": 0, "city": 1, "province": 2}

# How an activity relates to the level of the enterprise's supervising body.
LEVEL_RULES: dict[str, str] = {
    "same": "仅限监管该企业的本级执法主体",
    "upper": "仅限上级执法主体",
    "any": "各级均可",
}

# What an activity counts toward.
COUNT_TARGETS: dict[str, str] = {
    "cap": "计入年度执法检查频次",
    "supervision": "计入督导检查次数",
    "none": "不计入频次",
}

SEVERITIES = ("block", "warn", "notice")

REASON_CODES: dict[str, str] = {
    "CAP_EXCEEDED": "超过年度执法检查频次上限",
    "SUPERVISION_CAP_EXCEEDED": "超过年度督导检查次数上限",
    "QUIET_PERIOD": "企业安静期",
    "QUIET_EXCEPTION": "安静期例外（已批准）",
    "WRONG_LEVEL": "执法层级不符",
    "TOO_FEW_OFFICERS": "持证执法人员不足",
    "SUPERVISOR_WEEKLY_LIMIT": "监管专员每周入矿上限",
    "NOT_SYNCED_WITH_SUPERVISOR": "未与监管专员入矿同步",
    "QUIET_BACKFILL": "安静期紧急入企（事后补批）",
}

# Grounds on which an officer may enter on a quiet day first and ask the head afterwards (事后补批):
# 安全生产法第六十五条 (immediate measures against a major hazard) and the emergencies every
# quiet-period rule excepts (晋政办函〔2024〕53号 试点例外 ②③).
QUIET_EMERGENCY_GROUNDS: dict[str, str] = {
    "accident": "生产安全事故",
    "imminent_danger": "紧急危险（重大事故隐患现实危险）",
    "major_hazard_report": "重大事故隐患举报",
}
