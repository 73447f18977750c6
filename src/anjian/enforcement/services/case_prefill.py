"""What the records say about a case being opened, for the 立案 form to start from: the
provision the findings' breached duty points to, the party as registered, and whether it is a
first offence and was corrected in time. Each value carries where it came from; nothing is
written here (the officer confirms or changes each value on the form)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from anjian.domain.discretion.prefill import (
    cites_provision,
    corrected_in_time,
    first_offense_period,
    provisions_for_basis,
)
from anjian.domain.discretion.statute import Provision
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.services import discretion
from anjian.inspections.models import Hazard, ReviewLine
from anjian.registry.models import Enterprise

OPEN_HAZARD_STATES = (Hazard.Status.OPEN, Hazard.Status.REPORTED)


def is_overdue(hazard: Hazard, on: date) -> bool:
    """Not fixed in time: found not fixed on review, or open past its deadline."""
    if hazard.review_lines.filter(decision=ReviewLine.Decision.NOT_FIXED).exists():
        return True
    late = hazard.deadline is not None and hazard.deadline < on
    return hazard.status in OPEN_HAZARD_STATES and late


@dataclass(frozen=True)
class Prefilled:
    """One value the form starts from, and where it came from (None: the records cannot tell)."""

    value: bool | str | None
    source: str


@dataclass(frozen=True)
class CasePrefill:
    provision: Provision | None
    provision_source: str
    alternatives: tuple[Provision, ...]
    party: list[tuple[str, str]]
    first_offense: Prefilled
    corrected_in_time: Prefilled
    representative: str = ""

    @property
    def person_party(self) -> bool:
        """The provision fines a person (主要负责人 …): the registered legal representative is
        offered as the directly responsible person."""
        return self.provision is not None and self.provision.party == "person"

    def initial(self) -> dict[str, object]:
        """The form's initial values for what the records show."""
        found: dict[str, object] = {}
        if self.provision is not None:
            p = self.provision
            found["provision"] = f"{p.law}|{p.article}|{p.item or ''}"
        if self.person_party and self.representative:
            found["responsible_person"] = self.representative
        for name in ("first_offense", "corrected_in_time"):
            value = getattr(self, name).value
            if value is not None:
                found[name] = value
        return found


def _provision(findings: Sequence[Hazard]) -> tuple[Provision | None, str, tuple[Provision, ...]]:
    known = discretion.known_provisions()
    for hazard in findings:
        candidates = provisions_for_basis(hazard.legal_basis, known)
        if candidates:
            source = _("问题“%(text)s”违反%(basis)s，该义务条款的罚则") % {
                "text": hazard.description[:30],
                "basis": hazard.legal_basis,
            }
            return candidates[0], source, tuple(candidates[1:4])
    return None, _("问题未写明可对应罚则的违反条款，请选择"), ()


def _party(enterprise: Enterprise) -> list[tuple[str, str]]:
    rows = [(_("名称"), enterprise.name), (_("统一社会信用代码"), enterprise.uscc)]
    rows.append((_("法定代表人"), enterprise.legal_representative or _("（登记信息中未填写）")))
    if enterprise.address:
        rows.append((_("地址"), enterprise.address))
    return rows


def _first_offense(
    enterprise: Enterprise, provision: Provision | None, findings: Sequence[Hazard], day: date
) -> Prefilled:
    """No earlier case of the provision, and no finding of its duty at an earlier inspection,
    for the party in the period the no-penalty list in force uses."""
    if provision is None:
        return Prefilled(None, _("未确定违反的条款，无法核对是否初次违法"))
    period = first_offense_period(discretion.active_lists(), day)
    cases = PenaltyCase.objects.filter(
        enterprise=enterprise,
        law=provision.law,
        article=provision.article,
        item=provision.item or "",
        filed_on__lt=day,
    ).exclude(state="dropped")
    tasks = {h.task_id for h in findings}
    earlier = (
        Hazard.objects.filter(task__enterprise=enterprise, task__date__lt=day)
        .exclude(task_id__in=tasks)
        .select_related("task")
        .order_by("task__date", "pk")
    )
    if period.since is not None:
        cases = cases.filter(filed_on__gte=period.since)
        earlier = earlier.filter(task__date__gte=period.since)
    case = cases.order_by("filed_on", "pk").first()
    if case is not None:
        return Prefilled(
            False,
            _("%(day)s 已立案 %(number)s（同一条款）；%(basis)s")
            % {"day": f"{case.filed_on:%Y-%m-%d}", "number": case.number, "basis": period.basis},
        )
    for hazard in earlier.only("pk", "legal_basis", "description", "task__date"):
        if cites_provision(hazard.legal_basis, provision):
            return Prefilled(
                False,
                _("%(day)s 检查曾发现同一违法行为：%(text)s；%(basis)s")
                % {
                    "day": f"{hazard.task.date:%Y-%m-%d}",
                    "text": hazard.description[:40],
                    "basis": period.basis,
                },
            )
    since = f"{period.since:%Y-%m-%d}" if period.since else _("有记录以来")
    return Prefilled(
        True,
        _("自 %(since)s 起无该企业同一条款的案件或检查发现（%(basis)s）")
        % {"since": since, "basis": period.basis},
    )


def _fixed_on(hazard: Hazard) -> tuple[date | None, str]:
    closed = ReviewLine.Decision.CLOSED
    lines = [line for line in hazard.review_lines.all() if line.decision == closed]
    if not lines:
        return None, ""
    line = min(lines, key=lambda x: x.review.reviewed_on)
    return line.review.reviewed_on, line.review.document.number


def _corrected(findings: Sequence[Hazard], day: date, overdue: bool) -> Prefilled:
    """Each finding on-the-spot fixed, or reviewed as fixed by its deadline."""
    if not findings:
        return Prefilled(None, _("无检查发现的问题，请按调查核实的情况填写"))
    if overdue:
        return Prefilled(False, _("整改指令书的问题逾期未整改"))
    verdicts: list[bool | None] = []
    parts: list[str] = []
    for hazard in findings:
        if hazard.status == Hazard.Status.ON_SPOT:
            verdicts.append(True)
            parts.append(_("“%(text)s”当场整改") % {"text": hazard.description[:20]})
            continue
        deadline = hazard.deadline or (hazard.order.deadline if hazard.order else None)
        fixed_on, number = _fixed_on(hazard)
        verdict = corrected_in_time(deadline, fixed_on, day)
        verdicts.append(verdict)
        parts.append(_describe(hazard, deadline, fixed_on, number))
    value: bool | None = False if False in verdicts else (None if None in verdicts else True)
    return Prefilled(value, "；".join(parts))


def _describe(hazard: Hazard, deadline: date | None, fixed_on: date | None, number: str) -> str:
    order = hazard.order.document.number if hazard.order else ""
    due = f"{deadline:%Y-%m-%d}" if deadline else _("未定")
    head = _("“%(text)s”整改期限 %(due)s%(order)s") % {
        "text": hazard.description[:20],
        "due": due,
        "order": f"（{order}）" if order else "",
    }
    if fixed_on is None:
        return head + _("，尚未复查销号")
    return head + _("，%(day)s 复查销号（%(number)s）") % {
        "day": f"{fixed_on:%Y-%m-%d}",
        "number": number,
    }


def case_prefill(
    *,
    enterprise: Enterprise,
    findings: Sequence[Hazard],
    day: date,
    overdue: bool,
    provision: Provision | None = None,
) -> CasePrefill:
    """What the records show for a case of `enterprise` on `findings`, filed on `day`
    (`provision`: the one chosen on the form, else the one the findings point to)."""
    found, source, alternatives = _provision(findings)
    if provision is not None and provision != found:
        found, source, alternatives = provision, _("承办人选择"), ()
    return CasePrefill(
        provision=found,
        provision_source=source,
        alternatives=alternatives,
        party=_party(enterprise),
        first_offense=_first_offense(enterprise, found, findings, day),
        corrected_in_time=_corrected(findings, day, overdue),
        representative=enterprise.legal_representative,
    )
