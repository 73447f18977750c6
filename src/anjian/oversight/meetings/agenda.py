"""The open items a meeting's agenda is assembled from, one source per kind. Each source reads
its area through that area's selectors and gives (ref, title) pairs; `ref` ("app.Model:pk")
names the record, so assembling again adds only what is new.

Sources, all of the meeting's body:
- overdue measures of the body's campaigns (`steering.selectors.measure_states`);
- open complaints and clues (`Matter` not closed); one routed to the discipline group is listed
  without its content (see `access.py`);
- open contact-point warnings (`PointWarning` not answered);
- like-case alerts: each decided case the consistency monitor flags in the last 24 months
  (`enforcement.monitor.like_case_groups`, kept per data version by `audit/report_cache`);
- quiet-period exceptions waiting for the head (`policy.figure_selectors.exceptions_pending`);
- open action items of the body's earlier meetings (carried until reported done)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from anjian.accounts.models import User
from anjian.audit.report_cache import cached_report
from anjian.enforcement.monitor import like_case_groups, money, outlier_rule
from anjian.oversight.models import ActionItem, AgendaItem, Matter, Meeting, PointWarning
from anjian.policy.figure_selectors import exceptions_pending
from anjian.steering.access import visible_campaigns
from anjian.steering.selectors import measure_states

Entry = tuple[str, str]  # (ref, title)
TITLE_LENGTH = 300
DISCIPLINE_HIDDEN = "{kind} 1 件（由派驻纪检监察组掌握）"


def ref(app_model: str, pk: int) -> str:
    return f"{app_model}:{pk}"


def overdue_measures(actor: User, meeting: Meeting, today: date) -> list[Entry]:
    entries = []
    for campaign in visible_campaigns(actor).filter(body_id=meeting.body_id):
        for measure, state in measure_states(campaign, today):
            if state.status == "overdue":
                deadline = f"{measure.deadline:%Y-%m-%d}" if measure.deadline else "—"
                title = f"逾期工作措施：{measure.clause} {measure.title}（时限 {deadline}）"
                entries.append((ref("steering.Measure", measure.pk), title))
    return entries


def matter_title(matter: Matter) -> str:
    kind = matter.get_kind_display()
    if matter.route == Matter.Route.DISCIPLINE:
        return DISCIPLINE_HIDDEN.format(kind=kind)
    return f"{kind}：{matter.subject}（{matter.get_status_display()}）"


def open_matters(actor: User, meeting: Meeting, today: date) -> list[Entry]:
    rows = (
        Matter.objects.filter(body_id=meeting.body_id)
        .exclude(status=Matter.Status.CLOSED)
        .order_by("received_on", "pk")
    )
    return [(ref("oversight.Matter", m.pk), matter_title(m)) for m in rows]


def open_warnings(actor: User, meeting: Meeting, today: date) -> list[Entry]:
    rows = (
        PointWarning.objects.filter(
            point__points__body_id=meeting.body_id, answered_at__isnull=True
        )
        .select_related("point__enterprise")
        .order_by("due_on", "pk")
    )
    return [
        (
            ref("oversight.PointWarning", w.pk),
            f"联系点预警：{w.point.enterprise.name}，{w.text}（答复期限 {w.due_on:%Y-%m-%d}）",
        )
        for w in rows
    ]


def _flagged_cases(actor: User, body_id: int, today: date) -> list[Entry]:
    entries = []
    for group in like_case_groups(actor, rule=outlier_rule(), today=today):
        for case, outlier in group.outliers:
            if case.body_id != body_id:
                continue
            median = f"，同类案件中位数 {money(outlier.median)}" if outlier.median else ""
            title = (
                f"类案不同罚预警：{case.number or case.title}，"
                f"单位罚款 {money(outlier.amount)}{median}"
            )
            entries.append((ref("enforcement.PenaltyCase", case.pk), title))
    return entries


def like_case_alerts(actor: User, meeting: Meeting, today: date) -> list[Entry]:
    return cached_report(
        "meeting_like_cases",
        actor,
        (meeting.body_id, today.isoformat()),
        lambda: _flagged_cases(actor, meeting.body_id, today),
    )


def pending_exceptions(actor: User, meeting: Meeting, today: date) -> list[Entry]:
    rows = exceptions_pending().filter(body_id=meeting.body_id).order_by("date", "pk")
    return [
        (
            ref("policy.QuietException", e.pk),
            f"安静期例外待审批：{e.enterprise.name}，{e.date:%Y-%m-%d}入企",
        )
        for e in rows
    ]


def carried_actions(actor: User, meeting: Meeting, today: date) -> list[Entry]:
    rows = (
        ActionItem.objects.filter(
            meeting__body_id=meeting.body_id,
            meeting__held_on__lte=meeting.held_on,
            done_on__isnull=True,
        )
        .exclude(meeting=meeting)
        .select_related("meeting", "owner")
        .order_by("due_on", "pk")
    )
    return [
        (
            ref("oversight.ActionItem", a.pk),
            f"上次会议议定事项：{a.text}（{a.meeting.title}，责任人 "
            f"{a.owner.display_name or a.owner.username}，期限 {a.due_on:%Y-%m-%d}）",
        )
        for a in rows
    ]


Source = Callable[[User, Meeting, date], list[Entry]]
SOURCES: tuple[tuple[str, Source], ...] = (
    (AgendaItem.Kind.ACTION, carried_actions),
    (AgendaItem.Kind.MEASURE, overdue_measures),
    (AgendaItem.Kind.MATTER, open_matters),
    (AgendaItem.Kind.WARNING, open_warnings),
    (AgendaItem.Kind.LIKE_CASE, like_case_alerts),
    (AgendaItem.Kind.EXCEPTION, pending_exceptions),
)


def open_entries(actor: User, meeting: Meeting, today: date) -> list[tuple[str, str, str]]:
    """Every open item of every source as (kind, ref, title), in the order of SOURCES."""
    return [
        (kind, entry_ref, title[:TITLE_LENGTH])
        for kind, source in SOURCES
        for entry_ref, title in source(actor, meeting, today)
    ]
