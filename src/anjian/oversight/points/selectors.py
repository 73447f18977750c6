"""Reads of contact points: the shipped mix, the enterprise ids other areas ask for, the list
with its open counts, and one timeline of everything the bureau did to an enterprise in a year,
read through each area's selectors (one query per kind of record, whatever the data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from django.db.models import Count, Q, QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from anjian.domain.oversight.points import Mix, mix_parse
from anjian.enforcement.figure_selectors import enterprise_cases
from anjian.inspections.figure_selectors import (
    enterprise_findings,
    enterprise_orders,
    enterprise_ratings,
)
from anjian.oversight.models import ContactPoint, ContactPointList, FollowUp, PointReport
from anjian.policy.figure_selectors import enterprise_entries
from anjian.training.figure_selectors import enterprise_exams

MIX_FILE = "contact_points.toml"


@cache
def shipped_mix() -> Mix:
    """The mix of `policy_data/contact_points.toml`."""
    text = resources.files("anjian.policy_data").joinpath(MIX_FILE).read_text(encoding="utf-8")
    return mix_parse(text)


def contact_point_ids(body_id: int, year: int) -> set[int]:
    """The ids of the live enterprises on the body's list of the year (for other areas)."""
    return set(
        ContactPoint.objects.filter(
            points__body_id=body_id, points__year=year, enterprise__is_deleted=False
        ).values_list("enterprise_id", flat=True)
    )


def year_list(body_id: int, year: int) -> ContactPointList | None:
    return (
        ContactPointList.objects.filter(body_id=body_id, year=year)
        .select_related("designated_by")
        .first()
    )


def with_open_counts(points: QuerySet[ContactPoint]) -> QuerySet[ContactPoint]:
    """The points, each with its open reports, requirements and warnings counted (one query)."""
    return points.annotate(
        open_reports=Count("reports", filter=~Q(reports__status="closed"), distinct=True),
        open_requirements=Count(
            "requirements", filter=Q(requirements__closed_on=None), distinct=True
        ),
        open_warnings=Count("warnings", filter=Q(warnings__answered_at=None), distinct=True),
    ).order_by("points__body_id", "enterprise__sector", "enterprise__name")


@dataclass(frozen=True)
class Event:
    """One line of a point's timeline."""

    on: date
    kind: str
    text: str
    section: str = ""


def _section(section: object) -> str:
    return str(getattr(section, "name", "") or "")


def timeline(point: ContactPoint, today: date) -> list[Event]:
    """Everything the bureau did to the point's enterprise in the list's year up to `today`
    (entries, findings, orders, cases, exams, ratings, reports, follow-ups), newest first: eight
    queries whatever the data."""
    year = point.points.year
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    ids = [point.enterprise_id]
    events = [
        *(
            Event(b.date, _("入企"), b.get_activity_display(), _section(b.section))
            for b in enterprise_entries(ids, start, end)
        ),
        *(
            Event(h.task.date, _("检查发现问题"), h.description[:80], _section(h.task.section))
            for h in enterprise_findings(ids, start, end)
        ),
        *(
            Event(o.issued_on, _("责令限期整改"), o.document.number, _section(o.task.section))
            for o in enterprise_orders(ids, start, end)
        ),
        *(
            Event(c.filed_on, _("立案"), c.title, _section(c.section))
            for c in enterprise_cases(ids, start, end)
        ),
        *(
            Event(
                localdate(e.opened_at),
                _("现场考试"),
                e.get_status_display(),
                _section(e.task.section),
            )
            for e in enterprise_exams(ids, start, end)
        ),
        *(
            Event(r.task.date, _("企业评价"), _("%(score)s 分") % {"score": r.score})
            for r in enterprise_ratings(ids, start, end)
        ),
        *(
            Event(localdate(r.submitted_at), _("联系点反映"), r.get_kind_display())
            for r in PointReport.objects.filter(
                point__enterprise_id=point.enterprise_id,
                submitted_at__date__range=(start, end),
            )
        ),
        *(
            Event(f.on, _("联络员跟进"), f"{f.get_kind_display()}：{f.note[:60]}")
            for f in FollowUp.objects.filter(
                point__enterprise_id=point.enterprise_id, on__range=(start, end)
            )
        ),
    ]
    return sorted(events, key=lambda e: e.on, reverse=True)
