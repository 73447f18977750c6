"""The consistency monitor: a seeded outlier among like cases, the flags the review page shows,
a quota-like jump and a month-end cluster, and who may see the page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import count

import pytest
from django.utils import timezone

from anjian.enforcement.models import BenchmarkVersion, PenaltyCase
from anjian.enforcement.monitor import (
    like_case_flags,
    like_case_groups,
    like_case_summary,
    outlier_rule,
)
from anjian.enforcement.monitor_activity import monthly_activity
from anjian.enforcement.selectors import proposal_flags
from anjian.enforcement.services.discretion import load_shipped

pytestmark = pytest.mark.django_db
SERIAL = count(1)


@pytest.fixture(autouse=True)
def _shipped(db: None) -> None:
    load_shipped()


SUGGESTION = {"benchmark": {"entry": "26", "tier": "A", "unit": {"min": 0, "max": 30000}}}


def _case(world, *, fine: int | None, on: date, state: str = "decided", **extra) -> PenaltyCase:  # type: ignore[no-untyped-def]
    n = next(SERIAL)
    data = {
        "body": world.county,
        "enterprise": world.enterprises["chem"],
        "source": "finding",
        "number": f"文应急罚〔2026〕{n}号",
        "title": "特种作业人员未持证上岗",
        "law": "安全生产法",
        "article": "97",
        "item": "7",
        "filed_on": on - timedelta(days=20),
        "created_by": world.users["hazchem"],
        "proposed_by": world.users["hazchem"],
        "section": world.sections["hazchem"],
        "benchmark": BenchmarkVersion.objects.get(key="mem-2024-90"),
        "entry_number": "26",
        "tier": "A",
        "suggestion": SUGGESTION,
        "state": state,
        "proposed_unit_fine": fine,
    }
    if state == "decided":
        data.update(decided_on=on, decided_unit_fine=fine)
    data.update(extra)
    return PenaltyCase.objects.create(**data)


def _like_cases(world, day: date) -> PenaltyCase:  # type: ignore[no-untyped-def]
    for offset in range(6):
        _case(world, fine=15000, on=day - timedelta(days=40 * offset + 1))
    return _case(world, fine=30000, on=day - timedelta(days=3), proposed_by=world.users["office"])


def test_a_seeded_outlier_is_found_in_its_group(world) -> None:
    day = date(2026, 6, 30)
    odd = _like_cases(world, day)
    _case(world, fine=15000, on=day, overdue=True)  # another stage: another group
    _case(world, fine=90000, on=day, body=world.other_county)  # out of scope for the county
    groups = like_case_groups(world.users["discipline"], rule=outlier_rule(), today=day)
    assert [g.spread.count for g in groups] == [7, 1]
    top = groups[0]
    assert top.spread.median == 15000 and (top.spread.low, top.spread.high) == (15000, 30000)
    assert [(case.pk, o.distance) for case, o in top.outliers] == [(odd.pk, 10.0)]
    assert set(top.by_officer) == {"hazchem", "office"} and top.tier_label == "3万元以下"
    loose = like_case_groups(world.users["discipline"], rule=outlier_rule(12), today=day)
    assert loose[0].outliers == []


def test_like_case_flags_for_the_review_page(world) -> None:
    day = date(2026, 6, 30)
    _like_cases(world, day)
    proposal = _case(world, fine=30000, on=day, state="reviewing")
    assert like_case_flags(proposal) == [
        "同类案件 7 件，罚款中位数 1.5 万元，本案 3 万元偏离中位数 10.0 个MAD（提示线为 3.5 个MAD）"
    ]
    over = _case(world, fine=40000, on=day, state="reviewing", suggestion={})
    flags = like_case_flags(over)
    assert flags[0] == "本案对单位罚款 4 万元，超出裁量阶次A的幅度（3万元以下）"
    assert "偏离中位数 16.7 个MAD" in flags[1]
    # the legal office sees the same sentence among the proposal's flags
    assert {"code": "LIKE_CASES", "message": like_case_flags(proposal)[0]} in proposal_flags(
        proposal
    )
    usual = _case(world, fine=15000, on=day, state="reviewing")
    assert like_case_flags(usual) == []
    assert not [f for f in proposal_flags(usual) if f["code"] == "LIKE_CASES"]
    assert like_case_summary(usual) == (
        "同类已决案件 7 件，罚款中位数 1.5 万元，最低 1.5 万元，最高 3 万元"
    )
    no_tier = _case(world, fine=30000, on=day, state="reviewing", tier="")
    assert like_case_flags(no_tier) == [] and like_case_summary(no_tier) is None
    lonely = _case(world, fine=50000, on=day, state="reviewing", entry_number="山西-99(1)")
    assert like_case_flags(lonely) == ["本案对单位罚款 5 万元，超出裁量阶次A的幅度（3万元以下）"]


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def test_a_quota_like_jump_and_a_month_end_cluster(world) -> None:
    day = date(2026, 6, 30)
    for back in range(1, 7):
        _case(world, fine=10000, on=_month_start(day, back) + timedelta(days=9))
    for n in range(6):
        _case(world, fine=20000, on=date(2026, 6, 26 + n % 4))
    activity = monthly_activity(world.users["legal_office"], today=day)
    assert activity.months[0] == "2025-07" and activity.months[-1] == "2026-06"
    section = next(s for s in activity.sections if s.who == "危化股")
    assert section.months[-1].cases == 6 and section.months[-1].fines == 120000
    assert section.cases == 12 and section.fines == 180000
    jumps = {(title, j.who, j.month, j.measure, j.value, j.baseline) for title, j in activity.jumps}
    assert ("股室", "危化股", "2026-06", "cases", 6, 1.0) in jumps
    assert ("股室", "危化股", "2026-06", "fines", 120000, 10000.0) in jumps
    clusters = [(t, c.who, c.month, c.cases, c.late, c.quarter_end) for t, c in activity.clusters]
    assert ("股室", "危化股", "2026-06", 6, 6, True) in clusters
    calm = monthly_activity(world.users["legal_office"], today=date(2026, 5, 31))
    assert calm.jumps == [] and calm.clusters == []


def test_the_page_shows_the_statement_the_outlier_and_the_jump(world, client, login) -> None:
    today = timezone.localdate()
    odd = _like_cases(world, today)
    pending = _case(world, fine=30000, on=today, state="reviewing")
    for back in range(1, 7):
        _case(world, fine=10000, on=_month_start(today, back) + timedelta(days=2), tier="B")
    for _ in range(5):
        _case(world, fine=10000, on=today.replace(day=1), tier="B")
    login(world.users["discipline"])
    response = client.get("/enforcement/monitor/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "罚没收入不与任何考核指标、经费挂钩；本页用于发现类案不同罚和罚款竞赛" in page
    assert odd.number in page and pending.number in page and "个MAD" in page
    assert "突增" in page and "<svg" in page
    assert not re.search(r"""<script[^>]+src=["'](https?:)?//""", page)
    assert client.get("/enforcement/monitor/?k=abc&min_group=-3").status_code == 200
    assert client.get("/enforcement/monitor/?k=2&min_group=3").context["rule"].k == 2


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("discipline", 200),
        ("legal_office", 200),
        ("bureau_head", 200),
        ("hazchem", 403),
        ("office", 403),
        ("enterprise", 403),
    ],
)
def test_who_may_see_the_monitor(world, client, login, username, status) -> None:
    login(world.users[username])
    assert client.get("/enforcement/monitor/").status_code == status
