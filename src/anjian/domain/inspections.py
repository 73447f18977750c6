"""Inspection vocabulary and the pure rules of a record: what a task's sources, modes and
outcomes are, and which checks a record must pass before it is finished. No Django here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Where a task comes from. Every source but the plan needs a ground and the head's approval.
TASK_SOURCES: dict[str, str] = {
    "plan": "月度入企计划",
    "annual_plan": "年度监督检查计划",
    "complaint": "投诉举报",
    "accident": "事故调查",
    "assignment": "上级交办",
    "hazard_review": "隐患整改复查",
    "unplanned": "未赋码入企（事后补录）",
    "other": "其他",
}
AD_HOC_SOURCES = ("complaint", "accident", "assignment", "hazard_review", "other")

ITEM_OUTCOMES: dict[str, str] = {
    "checked": "已检查，未发现问题",
    "finding": "发现问题",
    "not_applicable": "不适用",
}
HAZARD_LEVELS: dict[str, str] = {"general": "一般隐患", "major": "重大隐患"}
# 现场处理措施 (安全生产法第65条第一款第三项)
ONSITE_MEASURES: dict[str, str] = {
    "evacuate": "从危险区域内撤出作业人员",
    "stop_work": "责令暂时停产停业",
    "stop_use": "责令停止使用相关设施、设备",
}
EVIDENCE_KINDS: dict[str, str] = {
    "photo": "现场照片",
    "file": "文件材料",
    "video_session": "视频连线记录",
    "monitoring_data": "在线监测数据",
    "document_reviewed": "书面核查材料",
}
# Which evidence a non-site record must carry (a remote inspection needs what it saw remotely;
# a written one the documents it reviewed).
REQUIRED_EVIDENCE: dict[str, frozenset[str]] = {
    "remote": frozenset({"video_session", "monitoring_data", "file"}),
    "written": frozenset({"document_reviewed"}),
}


@dataclass(frozen=True)
class RecordFacts:
    """What a finished record is checked on."""

    mode: str
    task_items: frozenset[int]
    results: dict[int, str]  # item id -> outcome
    findings_per_item: dict[int, int]  # item id -> findings recorded against it
    evidence_kinds: frozenset[str]
    checked_in: bool
    confirmation: str  # pending / confirmed / refused


def record_problems(facts: RecordFacts) -> list[str]:
    """Everything that keeps a record from being finished, in words an officer understands."""
    problems: list[str] = []
    missing = facts.task_items - facts.results.keys()
    if missing:
        problems.append(f"还有 {len(missing)} 项检查事项未填写检查结果")
    strangers = facts.results.keys() - facts.task_items
    if strangers:
        problems.append("检查结果中含有不属于本任务的检查事项")
    for item, outcome in facts.results.items():
        if outcome == "finding" and not facts.findings_per_item.get(item):
            problems.append("标记为“发现问题”的事项须至少登记一条问题（隐患）")
            break
    if facts.mode == "on_site" and not facts.checked_in:
        problems.append("现场检查须先凭检查码签到")
    needed = REQUIRED_EVIDENCE.get(facts.mode)
    if needed is not None and not (facts.evidence_kinds & needed):
        labels = "、".join(EVIDENCE_KINDS[k] for k in sorted(needed))
        problems.append(f"非现场检查须上传检查依据材料（{labels}之一）")
    if facts.mode == "on_site" and facts.confirmation == "pending":
        problems.append("请记录被检查单位负责人签字确认，或注明其拒绝签字")
    return problems


def unknown_items(task_items: Iterable[int], submitted: Iterable[int]) -> list[int]:
    allowed = set(task_items)
    return sorted({i for i in submitted if i not in allowed})
