"""What may be linked as a measure's evidence: records the other areas keep for the campaign's
body, read through their selectors. A published item list, an approved annual plan, a declared
quiet month, a document issued by the body (one naming no enterprise), a version of the entry
rules, an adopted discretion benchmark, the body's grass-roots contact points. Linked by app
record and a label, never retyped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from anjian.documents.selectors import body_documents
from anjian.enforcement.models import BenchmarkVersion
from anjian.enforcement.services.library import adopted_benchmarks
from anjian.planning.access import approved_annual_plans
from anjian.policy.selectors import declared_quiet_months, published_item_lists, ruleset_versions
from anjian.registry.access import contact_points
from anjian.steering.models import Campaign, MeasureEvidence

Kind = MeasureEvidence.Kind
DOCUMENTS_OFFERED = 100  # the picker offers the newest documents of the campaign's two years


@dataclass(frozen=True)
class Candidate:
    kind: str
    subject_pk: str
    label: str
    dated: date | None = None

    @property
    def choice(self) -> str:
        """The picker's value for this record."""
        return f"{self.kind}:{self.subject_pk}"


def _item_lists(campaign: Campaign, pk: int | None) -> Iterable[Candidate]:
    rows = published_item_lists(campaign.body_id)
    for row in rows.filter(pk=pk) if pk is not None else rows:
        gone = "（已被替代）" if row.status == row.Status.SUPERSEDED else ""
        yield Candidate("item_list", str(row.pk), f"{row}{gone}", row.published_on)


def _annual_plans(campaign: Campaign, pk: int | None) -> Iterable[Candidate]:
    rows = approved_annual_plans(campaign.body_id)
    for row in rows.filter(pk=pk) if pk is not None else rows:
        number = f"（{row.document_number}）" if row.document_number else ""
        yield Candidate(
            "annual_plan", str(row.pk), f"{row.year}年度监督检查计划{number}", row.approved_on
        )


def _quiet_months(campaign: Campaign, pk: int | None) -> Iterable[Candidate]:
    rows = declared_quiet_months(campaign.body_id, campaign.year)
    for row in rows.filter(pk=pk) if pk is not None else rows:
        label = f"{row.month:%Y年%m月}企业安静期（{len(row.days)}日）"
        yield Candidate("quiet_month", str(row.pk), label, row.month)


def _documents(campaign: Campaign, pk: int | None) -> Iterable[Candidate]:
    rows = body_documents(campaign.body_id).only(
        "pk", "number", "title", "version", "issued_on", "year"
    )
    if pk is None:
        rows = rows.filter(year__in=(campaign.year - 1, campaign.year))[:DOCUMENTS_OFFERED]
    else:
        rows = rows.filter(pk=pk)
    for row in rows:
        version = f"（第{row.version}版）" if row.version > 1 else ""
        label = f"{row.number}{row.title}{version}" if row.number else f"{row.title}{version}"
        yield Candidate("document", str(row.pk), label, row.issued_on)


def _rulesets(campaign: Campaign, pk: int | None) -> Iterable[Candidate]:
    rows = ruleset_versions()
    for row in rows.filter(pk=pk) if pk is not None else rows:
        yield Candidate("ruleset", str(row.pk), f"{row}：{row.title}", row.effective_from)


def _adopted(version: BenchmarkVersion) -> Candidate:
    title = version.official_title or version.name
    assert version.adopted_at is not None
    return Candidate(
        "benchmark",
        str(version.pk),
        f"{title}（{version.version}）",
        timezone.localdate(version.adopted_at),
    )


def _benchmarks(campaign: Campaign, pk: int | None) -> Iterable[Candidate]:
    for version in adopted_benchmarks():
        if pk in (None, version.pk):
            yield _adopted(version)


def _contact_points(campaign: Campaign, pk: int | None) -> Iterable[Candidate]:
    if pk not in (None, campaign.body_id):
        return
    count = contact_points(campaign.body_id).count()
    if count:
        label = f"{campaign.body.name}基层联系点（{count}家企业）"
        yield Candidate("contact_points", str(campaign.body_id), label)


# by MeasureEvidence.Kind value (a test keeps the two equal)
SOURCES: dict[str, Callable[[Campaign, int | None], Iterable[Candidate]]] = {
    "item_list": _item_lists,
    "annual_plan": _annual_plans,
    "quiet_month": _quiet_months,
    "document": _documents,
    "ruleset": _rulesets,
    "benchmark": _benchmarks,
    "contact_points": _contact_points,
}


def candidates(campaign: Campaign) -> list[tuple[str, list[Candidate]]]:
    """What the picker offers, grouped by kind (label, records); kinds with nothing left out."""
    groups = []
    for kind, source in SOURCES.items():
        found = list(source(campaign, None))
        if found:
            groups.append((str(Kind(kind).label), found))
    return groups


def resolve(campaign: Campaign, kind: str, subject_pk: str) -> Candidate:
    """The record `kind` / `subject_pk` names, when it exists and belongs to the campaign's
    body; ValidationError otherwise."""
    source = SOURCES.get(kind)
    if source is None:
        raise ValidationError({"kind": [f"未知的佐证类型：{kind}"]})
    if not subject_pk.isdigit() or len(subject_pk) > 18:
        raise ValidationError({"subject_pk": ["记录编号不正确"]})
    found = next(iter(source(campaign, int(subject_pk))), None)
    if found is None:
        what = Kind(kind).label
        raise ValidationError(
            {"subject_pk": [f"没有找到本单位的这份{what}（可能不存在、未发布或不属于本单位）"]}
        )
    return found


def parse_choice(choice: str) -> tuple[str, str]:
    """The picker's `kind:pk` value split; ValidationError when it is not one."""
    kind, sep, subject_pk = choice.partition(":")
    if not sep or not kind or not subject_pk:
        raise ValidationError({"subject_pk": ["请选择要关联的记录"]})
    return kind, subject_pk
