"""Writes of contact points: the yearly designation (legal office), the enterprise's reports and
monthly surveys, and the liaison's follow-ups and requirements. Each runs in one transaction
with its audit entry; the warnings are in `warnings.py`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.timezone import localdate

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.domain.oversight.points import mix_problems
from anjian.inspections.services.records import atomic_with_files
from anjian.inspections.uploads import checked_upload
from anjian.oversight.models import (
    ContactPoint,
    ContactPointList,
    FollowUp,
    PointAttachment,
    PointReport,
    PointSurvey,
    Requirement,
)
from anjian.oversight.points.access import NOT_A_POINT, require_manage
from anjian.oversight.points.selectors import shipped_mix
from anjian.registry.models import Enterprise

MAX_ATTACHMENTS = 5


def contact_points_designate(
    *,
    actor: User,
    body: EnforcementBody,
    year: int,
    enterprises: Sequence[Enterprise],
    liaison: User,
    note: str = "",
) -> ContactPointList:
    """Makes `enterprises` the body's contact points of `year` with `liaison` as the liaison
    officer, replacing the year's list. Refused (nothing written) unless the mix is right."""
    if not actor.can("contact.manage") or body.pk not in body_scope_ids(actor):
        raise PermissionDenied("只有法制股可以确定基层联系点")
    if liaison.role != Role.LEGAL_OFFICE or liaison.body_id != body.pk or not liaison.is_active:
        raise ValidationError({"liaison": ["联络员应为本单位法制股的在岗人员"]})
    chosen = list({e.pk: e for e in enterprises}.values())
    wrong = [e.name for e in chosen if e.supervising_body_id != body.pk or e.is_deleted]
    if wrong:
        raise ValidationError({"enterprises": [f"不是本单位监管的在册企业：{'、'.join(wrong)}"]})
    problems = mix_problems(shipped_mix(), [e.sector for e in chosen])
    if problems:
        raise ValidationError({"enterprises": problems})
    with transaction.atomic():
        points, _created = ContactPointList.objects.select_for_update().get_or_create(
            body=body, year=year
        )
        before = {p.enterprise_id: p for p in points.points.all()}
        _remove(before, {e.pk for e in chosen})
        points.points.filter(enterprise_id__in=before).update(liaison=liaison)
        ContactPoint.objects.bulk_create(
            ContactPoint(points=points, enterprise=e, liaison=liaison)
            for e in chosen
            if e.pk not in before
        )
        points.note = note.strip()[:200]
        points.designated_by = actor
        points.save(update_fields=["note", "designated_by"])
        audit_record(
            actor=actor,
            action="contact.designate",
            target=points,
            changes={
                "year": year,
                "enterprises": {"before": sorted(before), "after": sorted(e.pk for e in chosen)},
                "liaison": liaison.pk,
            },
        )
    return points


def _remove(before: dict[int, ContactPoint], kept: set[int]) -> None:
    removed = [p.pk for eid, p in before.items() if eid not in kept]
    busy = (
        ContactPoint.objects.filter(pk__in=removed)
        .filter(
            Q(reports__isnull=False)
            | Q(surveys__isnull=False)
            | Q(follow_ups__isnull=False)
            | Q(requirements__isnull=False)
            | Q(warnings__isnull=False)
        )
        .select_related("enterprise")
        .distinct()
    )
    names = [p.enterprise.name for p in busy]
    if names:
        raise ValidationError({"enterprises": [f"已有记录的联系点不能移出：{'、'.join(names)}"]})
    ContactPoint.objects.filter(pk__in=removed).delete()
    for eid in [eid for eid in before if eid not in kept]:
        del before[eid]


def _require_reporter(actor: User, point: ContactPoint) -> None:
    membership = getattr(actor, "enterprise_membership", None)
    if (
        not actor.can("contact.report")
        or membership is None
        or membership.enterprise_id != point.enterprise_id
    ):
        raise PermissionDenied(NOT_A_POINT)


def point_report_submit(
    *,
    actor: User,
    point: ContactPoint,
    kind: str,
    happened_on: date | None,
    description: str,
    uploads: Sequence[UploadedFile],
    now: datetime,
) -> PointReport:
    """The enterprise reports how it is treated, with up to five files (checked by content,
    stored 0600)."""
    _require_reporter(actor, point)
    errors: dict[str, list[str]] = {}
    if kind not in PointReport.Kind.values:
        errors["kind"] = ["请选择反映类型"]
    if not description.strip():
        errors["description"] = ["请写明情况"]
    if happened_on is not None and happened_on > localdate(now):
        errors["happened_on"] = ["发生日期不能晚于今天"]
    if len(uploads) > MAX_ATTACHMENTS:
        errors["files"] = [f"附件最多 {MAX_ATTACHMENTS} 个"]
    if errors:
        raise ValidationError(errors)
    try:
        metas = [checked_upload(upload) for upload in uploads]
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error
    with atomic_with_files() as written:
        report = PointReport.objects.create(
            point=point,
            kind=kind,
            happened_on=happened_on,
            description=description.strip(),
            submitted_by=actor,
            submitted_at=now,
        )
        for upload, (content_type, size, digest) in zip(uploads, metas, strict=True):
            attachment = PointAttachment(
                report=report,
                original_name=(upload.name or "")[:200],
                content_type=content_type,
                size=size,
                sha256=digest,
            )
            attachment.file.save(upload.name or "upload", upload, save=False)
            written.append(attachment.file.name)
            attachment.save()
        audit_record(
            actor=actor,
            action="contact.report",
            target=report,
            changes={"kind": kind, "files": [m[2] for m in metas]},
        )
    return report


def point_survey_submit(
    *,
    actor: User,
    point: ContactPoint,
    entries_felt: int,
    courtesy: int,
    burden: int,
    comment: str,
    now: datetime,
) -> PointSurvey:
    """The month's survey (the month of `now`), once per month."""
    _require_reporter(actor, point)
    month = localdate(now).replace(day=1)
    if not (1 <= courtesy <= 5 and 1 <= burden <= 5) or entries_felt < 0:
        raise ValidationError("评分应为 1–5，入企次数不能为负")
    with transaction.atomic():
        if PointSurvey.objects.select_for_update().filter(point=point, month=month).exists():
            raise ValidationError(f"{month:%Y年%m月}的问卷已填报，每月只填一次")
        survey = PointSurvey.objects.create(
            point=point,
            month=month,
            entries_felt=entries_felt,
            courtesy=courtesy,
            burden=burden,
            comment=comment.strip(),
            submitted_by=actor,
            submitted_at=now,
        )
        audit_record(
            actor=actor,
            action="contact.survey",
            target=survey,
            changes={"month": month.isoformat(), "courtesy": courtesy, "burden": burden},
        )
    return survey


def follow_up_record(
    *,
    actor: User,
    point: ContactPoint,
    kind: str,
    on: date,
    note: str,
    report: PointReport | None = None,
    now: datetime,
) -> FollowUp:
    """The liaison's visit, call or meeting, maybe of one report (which then is 跟进中)."""
    require_manage(actor, point)
    errors: dict[str, list[str]] = {}
    if kind not in FollowUp.Kind.values:
        errors["kind"] = ["请选择跟进方式"]
    if on > localdate(now):
        errors["on"] = ["日期不能晚于今天"]
    if not note.strip():
        errors["note"] = ["请记录跟进情况"]
    if report is not None and report.point_id != point.pk:
        errors["report"] = ["该反映不属于本联系点"]
    elif report is not None and report.status == PointReport.Status.CLOSED:
        errors["report"] = ["该反映已办结"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            point=point, report=report, kind=kind, on=on, note=note.strip(), recorded_by=actor
        )
        if report is not None and report.status == PointReport.Status.OPEN:
            report.status = PointReport.Status.FOLLOWED
            report.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="contact.follow_up",
            target=follow_up,
            changes={"kind": kind, "on": on.isoformat(), "report": report.pk if report else None},
        )
    return follow_up


def point_report_close(
    *, actor: User, report: PointReport, closing_note: str, now: datetime
) -> PointReport:
    """Closes a report; a closing note is required."""
    require_manage(actor, report.point)
    if not closing_note.strip():
        raise ValidationError({"closing_note": ["请写明办结情况"]})
    with transaction.atomic():
        report = PointReport.objects.select_for_update().get(pk=report.pk)
        if report.status == PointReport.Status.CLOSED:
            raise ValidationError({"closing_note": ["该反映已办结"]})
        before = report.status
        report.status = PointReport.Status.CLOSED
        report.closed_at = now
        report.closing_note = closing_note.strip()
        report.save(update_fields=["status", "closed_at", "closing_note"])
        audit_record(
            actor=actor,
            action="contact.report_close",
            target=report,
            changes={"status": {"before": before, "after": "closed"}},
        )
    return report


def requirement_raise(
    *,
    actor: User,
    point: ContactPoint,
    text: str,
    deadline: date,
    section: Section | None,
    today: date,
    follow_up: FollowUp | None = None,
) -> Requirement:
    """A requirement to one of the bureau's sections, with a deadline."""
    require_manage(actor, point)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = ["请写明整改要求"]
    if deadline < today:
        errors["deadline"] = ["整改期限不能早于今天"]
    if section is not None and section.body_id != point.points.body_id:
        errors["section"] = ["责任股室应为本单位股室"]
    if follow_up is not None and follow_up.point_id != point.pk:
        errors["follow_up"] = ["该跟进记录不属于本联系点"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        requirement = Requirement.objects.create(
            point=point,
            follow_up=follow_up,
            section=section,
            text=text.strip(),
            deadline=deadline,
            raised_by=actor,
        )
        audit_record(
            actor=actor,
            action="contact.requirement",
            target=requirement,
            changes={"deadline": deadline.isoformat(), "section": section.pk if section else None},
        )
    return requirement


def requirement_close(
    *, actor: User, requirement: Requirement, note: str, today: date
) -> Requirement:
    """Closes a requirement with what was done."""
    require_manage(actor, requirement.point)
    if not note.strip():
        raise ValidationError({"closing_note": ["请写明完成情况"]})
    with transaction.atomic():
        requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
        if requirement.closed_on is not None:
            raise ValidationError({"closing_note": ["该整改要求已完成"]})
        requirement.closed_on = today
        requirement.closing_note = note.strip()
        requirement.save(update_fields=["closed_on", "closing_note"])
        audit_record(
            actor=actor,
            action="contact.requirement_close",
            target=requirement,
            changes={"closed_on": today.isoformat()},
        )
    return requirement
