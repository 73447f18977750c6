"""The consistency monitor (类案同罚与罚款竞赛监测): for the legal office, the discipline
inspectors and the bureau head only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.accounts.access import require
from anjian.audit.report_cache import cached_report
from anjian.domain.discretion.consistency import REASONS, ClusterRule, JumpRule
from anjian.enforcement.monitor import (
    LIKE_CASE_MONTHS,
    like_case_groups,
    outlier_rule,
    pending_flags,
)
from anjian.enforcement.monitor_activity import activity_chart, monthly_activity
from anjian.policy.views.common import today

STATEMENT = (
    "罚没收入不与任何考核指标、经费挂钩；"
    "本页用于发现类案不同罚和罚款竞赛，不用于下达或考核罚款任务。"
)


def _number(raw: str | None, low: float, high: float) -> float | None:
    try:
        value = float(raw or "")
    except ValueError:
        return None
    return value if low <= value <= high else None


@require("penalty.monitor")
def monitor(request: HttpRequest) -> HttpResponse:
    k = _number(request.GET.get("k"), 1, 10)
    min_group = _number(request.GET.get("min_group"), 2, 50)
    rule = outlier_rule(k, int(min_group) if min_group else None)
    day = today()
    jump_rule, cluster_rule = JumpRule(), ClusterRule()
    user = request.user

    def compute() -> tuple[Any, ...]:
        activity = monthly_activity(user, today=day, rule=jump_rule, cluster_rule=cluster_rule)
        charts = [
            activity_chart(
                "各股室每月处罚决定数（件）", activity.months, activity.sections, "cases"
            ),
            activity_chart(
                "各股室每月罚款金额（万元）", activity.months, activity.sections, "fines"
            ),
            activity_chart(
                "各承办人每月处罚决定数（件）", activity.months, activity.officers, "cases"
            ),
        ]
        groups = like_case_groups(user, rule=rule, today=day)
        return activity, charts, groups, pending_flags(user, rule=rule)

    # thousands of cases: computed once per data version (audit/report_cache.py)
    activity, charts, groups, pending = cached_report("monitor", user, (k, min_group, day), compute)
    context = {
        "statement": STATEMENT,
        "rule": rule,
        "jump_rule": jump_rule,
        "cluster_rule": cluster_rule,
        "like_months": LIKE_CASE_MONTHS,
        "groups": groups,
        "pending": pending,
        "activity": activity,
        "charts": charts,
        "reasons": REASONS,
    }
    return render(request, "enforcement/monitor_page.html", context)
