"""Mode suggestion (行政检查裁量): remote where the items allow it and the enterprise is monitored
online, written where every item can be checked on documents, on site otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from anjian.domain.rules.vocab import MODES


@dataclass(frozen=True)
class ItemMethods:
    code: str
    name: str
    methods: frozenset[str]


@dataclass(frozen=True)
class ModeSuggestion:
    mode: str
    reason: str

    @property
    def label(self) -> str:
        return MODES[self.mode]


def _names(items: Sequence[ItemMethods]) -> str:
    return "、".join(f"{i.code} {i.name}" for i in items[:3]) + ("等" if len(items) > 3 else "")


def suggest_mode(items: Sequence[ItemMethods], has_online_monitoring: bool) -> ModeSuggestion:
    """The lightest mode every item allows, with the reason in words."""
    if not items:
        return ModeSuggestion("on_site", "未选择检查事项，按现场检查处理；请先从事项清单选择事项")
    not_remote = [i for i in items if "remote" not in i.methods]
    if not not_remote and has_online_monitoring:
        return ModeSuggestion(
            "remote", "所选事项均可非现场检查，且企业已接入在线监测，建议以非现场方式检查，不入企"
        )
    not_written = [i for i in items if "written" not in i.methods]
    if not not_written:
        why = "企业未接入在线监测，" if not not_remote else f"{_names(not_remote)}不可非现场检查，"
        return ModeSuggestion("written", f"{why}所选事项均可书面核查，建议书面检查，不入企")
    only_on_site = [i for i in items if i.methods == frozenset({"on_site"})]
    blocking = only_on_site or not_written
    return ModeSuggestion(
        "on_site", f"{_names(blocking)}须现场查看，建议现场检查并合并其他事项一次完成"
    )
